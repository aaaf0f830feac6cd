// `pulumi preview --policy-pack examples/policy-pack` runs hitless check over the stack's
// Kubernetes resources: findings that drop requests are mandatory, the others advisory.
import { PolicyPack } from '@pulumi/policy';
import { hitlessPolicies } from 'hitless';

new PolicyPack('hitless', { policies: hitlessPolicies() });
