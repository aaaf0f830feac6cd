import { GkeMechanismId, Mechanism, MECHANISMS } from '../timing/mechanisms';

/** GKE's rows of the one mechanism table (`MECHANISMS`): the ways a GKE load balancer drops requests. */

/** A GKE mechanism: a row of `MECHANISMS` with a GKE id. */
export interface GkeMechanism extends Mechanism {
  readonly id: GkeMechanismId;
}

const GKE_MECHANISM_IDS: readonly GkeMechanismId[] = ['neg-detach', 'neg-detach-connection-draining', 'l4-node-health-check'];

/** Every GKE mechanism, by id: the GKE rows of `MECHANISMS`. */
export const GKE_MECHANISMS: Readonly<Record<GkeMechanismId, GkeMechanism>> = Object.fromEntries(
  GKE_MECHANISM_IDS.map((id) => [id, MECHANISMS[id]])) as Record<GkeMechanismId, GkeMechanism>;
