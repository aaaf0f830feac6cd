import { Finding } from '../core/finding';
import { parseObjectRef } from '../core/object-ref';

/**
 * One finding per mechanism and gateway: when several Services select the same pods, the
 * invariants report the same hazard once per Service. Findings with the same rule, severity and
 * first object (the workload) whose messages differ only in which Service they name are merged
 * into one that names every Service involved.
 */

const SERVICE_REF = /Service\/[a-z0-9.-]+\/[a-z0-9.-]+/g;

function isService(object: string): boolean {
  return parseObjectRef(object)?.kind === 'Service';
}

function mechanismKey(finding: Finding): string {
  const others = finding.objects.slice(1).filter((object) => !isService(object));
  return [finding.rule, finding.severity, finding.objects[0] ?? '', others.join(','), finding.message.replace(SERVICE_REF, 'Service'), finding.fix.replace(SERVICE_REF, 'Service')].join('\u0000');
}

function joinRefs(refs: string[]): string {
  return refs.length <= 1 ? refs.join('') : `${refs.slice(0, -1).join(', ')} and ${refs[refs.length - 1]}`;
}

export function mergeByMechanism(findings: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const order: string[] = [];
  for (const finding of findings) {
    const key = mechanismKey(finding);
    const group = groups.get(key);
    if (group) group.push(finding);
    else {
      groups.set(key, [finding]);
      order.push(key);
    }
  }
  return order.map((key) => {
    const group = groups.get(key)!;
    if (group.length === 1) return group[0];
    const objects = [...new Set(group.flatMap((finding) => finding.objects))];
    const services = objects.filter(isService);
    const first = group[0];
    const named = (first.message.match(SERVICE_REF) ?? [])[0];
    // The first finding's Service, where its text names one, stands for all of them.
    const rename = (text: string) => (named !== undefined && services.length > 1 ? text.split(named).join(joinRefs(services)) : text);
    return { ...first, objects, message: rename(first.message), fix: rename(first.fix) };
  });
}
