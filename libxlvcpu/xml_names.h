/*
 * Our extension to libvirt's domain XML: soft affinity, which libvirt has
 * no element for.  It lives in <metadata>, the place libvirt keeps for
 * applications, so libvirt itself preserves it:
 *
 *   <metadata>
 *     <xlvcpu:cputune xmlns:xlvcpu="http://xlvcpu.org/xmlns/cputune/1.0">
 *       <xlvcpu:soft cpuset="4-7"/>              soft affinity of every vCPU
 *       <xlvcpu:vcpusoft vcpu="1" cpuset="6"/>   of one vCPU, overriding it
 *     </xlvcpu:cputune>
 *   </metadata>
 *
 * These mirror <vcpu cpuset=> and <cputune><vcpupin> for hard affinity,
 * and xl's cpus_soft= string and list forms.
 */
#ifndef XLV_XML_NAMES_H
#define XLV_XML_NAMES_H

#define XLV__XML_NS "http://xlvcpu.org/xmlns/cputune/1.0"
#define XLV__XML_PREFIX "xlvcpu"
#define XLV__XML_CPUTUNE "cputune"
#define XLV__XML_SOFT "soft"
#define XLV__XML_VCPUSOFT "vcpusoft"

#endif /* XLV_XML_NAMES_H */
