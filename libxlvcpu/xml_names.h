/*
 * Our extension to libvirt's domain XML: soft affinity, which libvirt has
 * no element for.  It lives in <metadata>, the place libvirt keeps for
 * applications, so libvirt itself preserves it:
 *
 *   <metadata>
 *     <xlvcpu:cputune xmlns:xlvcpu="http://xlvcpu.org/xmlns/cputune/1.0">
 *       <xlvcpu:soft cpuset="4-7"/>              soft affinity of every vCPU
 *       <xlvcpu:vcpusoft vcpu="1" cpuset="6"/>   of one vCPU, overriding it
 *       <xlvcpu:nodes cpus="nodes:0-3,^node:2" cpus_soft="node:1"/>
 *     </xlvcpu:cputune>
 *   </metadata>
 *
 * soft and vcpusoft mirror <vcpu cpuset=> and <cputune><vcpupin> for hard
 * affinity, and xl's cpus_soft= string and list forms.  nodes keeps xl's
 * cpus= / cpus_soft= strings that name NUMA nodes as they were written:
 * the default affinities, resolved on the host the domain starts on (in
 * place of <vcpu cpuset=> and <xlvcpu:soft>, which a document with them
 * does not have).
 */
#ifndef XLV_XML_NAMES_H
#define XLV_XML_NAMES_H

#define XLV__XML_NS "http://xlvcpu.org/xmlns/cputune/1.0"
#define XLV__XML_PREFIX "xlvcpu"
#define XLV__XML_CPUTUNE "cputune"
#define XLV__XML_SOFT "soft"
#define XLV__XML_VCPUSOFT "vcpusoft"
#define XLV__XML_NODES "nodes"

#endif /* XLV_XML_NAMES_H */
