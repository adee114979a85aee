#!/usr/bin/python3
# -*- coding: utf-8 -*-
# An Ansible module for xlvcpu apply: the vCPUs of Xen domains as their
# files say, idempotently, with check mode and diff mode.  It runs
# "xlvcpu --json apply" once for all the files it is given and reports
# what the command reports; it keeps no state of its own.

DOCUMENTATION = r'''
module: xlvcpu_apply
short_description: Make the vCPUs of Xen domains match their domain files
description:
  - Runs C(xlvcpu apply) on the dom0 for the given domain files (libvirt
    domain XML or xl.cfg): each file's domain gets the file's maximum,
    online vCPUs and hard and soft affinities, changing only what differs.
  - Reports C(changed) only when something was (or, in check mode, would
    be) changed; in diff mode each change is shown as C(what: old -> new).
  - A domain that cannot be changed fails the task with xlvcpu's one-line
    message; the other files are still applied.
options:
  files:
    description: Domain files, XML or xl.cfg, each naming its domain.
    type: list
    elements: path
    required: true
  scope:
    description:
      - C(current) is live when the domain runs, config otherwise;
        C(live) the running domain only; C(config) the persistent
        definition (next boot); C(both) live and config, all or nothing.
    type: str
    choices: [current, live, config, both]
    default: current
  ignore_host:
    description: Allow more vCPUs online than the host has physical CPUs.
    type: bool
    default: false
  force:
    description: Pin as C(xl vcpu-pin -f) does.
    type: bool
    default: false
  connect:
    description: The host URI (xlvcpu -c), e.g. C(xen:///system).
    type: str
  state_dir:
    description: Where persistent definitions are kept (xlvcpu --state-dir).
    type: path
  executable:
    description: The xlvcpu command.
    type: path
    default: xlvcpu
'''

EXAMPLES = r'''
- name: web's vCPUs as web.cfg says, now and at the next boot
  xlvcpu_apply:
    files: [/etc/xen/web.cfg]
    scope: both
'''

RETURN = r'''
domains:
  description: One entry per file, as "xlvcpu --json apply" prints it.
  returned: always
  type: list
  elements: dict
'''

import json

from ansible.module_utils.basic import AnsibleModule

SCOPE_OPTIONS = {
    'current': [],
    'live': ['--live'],
    'config': ['--config'],
    'both': ['--live', '--config'],
}


def command(params, check_mode):
    argv = [params['executable'], '--json']
    if params['connect']:
        argv += ['-c', params['connect']]
    if params['state_dir']:
        argv += ['--state-dir', params['state_dir']]
    argv += ['apply'] + SCOPE_OPTIONS[params['scope']]
    if check_mode:
        argv.append('--check')
    if params['ignore_host']:
        argv.append('--ignore-host')
    if params['force']:
        argv.append('--force')
    # "--" keeps a file whose name starts with "-" a file.
    return argv + ['--'] + list(params['files'])


def error_line(entry):
    """The line xlvcpu prints on stderr for a failed entry."""
    if entry.get('name') is None:
        return 'xlvcpu: apply: %s' % entry['error']
    return "xlvcpu: apply: domain '%s': %s" % (entry['name'], entry['error'])


def diff_of(entry):
    """Ansible's diff of one domain: a line per change, old and new."""
    def lines(key):
        return ''.join('%s: %s (%s)\n' % (c['what'], c[key], c['scope'])
                       for c in entry.get('changes') or [])
    return {
        'before_header': entry['file'],
        'after_header': entry['file'],
        'before': lines('old'),
        'after': lines('new'),
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(
            files=dict(type='list', elements='path', required=True),
            scope=dict(type='str', default='current',
                       choices=list(SCOPE_OPTIONS)),
            ignore_host=dict(type='bool', default=False),
            force=dict(type='bool', default=False),
            connect=dict(type='str'),
            state_dir=dict(type='path'),
            executable=dict(type='path', default='xlvcpu'),
        ),
        supports_check_mode=True,
    )
    if not module.params['files']:
        module.fail_json(msg='files: give at least one domain file')
    argv = command(module.params, module.check_mode)
    rc, out, err = module.run_command(argv)
    # 0: done or all match; 3: --check found changes; 1: a domain failed
    # (its message is in the JSON).  Anything else is the command's own
    # failure (usage, no JSON): say what it said.
    try:
        domains = json.loads(out) if rc in (0, 1, 3) else None
    except ValueError:
        domains = None
    if not isinstance(domains, list):
        module.fail_json(msg=(err.strip() or out.strip() or
                              'xlvcpu exited %d' % rc),
                         rc=rc, cmd=argv)
    # (no "rc" in the result: Ansible takes a non-zero one for a failure,
    # and 3 is check mode's "something would change")
    result = dict(
        changed=any(d.get('changed') for d in domains),
        domains=domains,
        cmd=argv,
    )
    if module._diff:
        result['diff'] = [diff_of(d) for d in domains if d.get('changed')]
    failed = [d for d in domains if d.get('error')]
    if failed:
        module.fail_json(msg='; '.join(error_line(d) for d in failed),
                         **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
