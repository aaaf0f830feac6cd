import { GatewayPlanOptions } from '../../lib/core/gateway/gateway-options';
import { GatewayPlan } from '../../lib/core/gateway/gateway-plan';
import { LoadBalancerAttachment } from '../../lib/core/load-balancer-link';

/** A real hitless gateway whose load-balancer attachments are recorded, to count how often one attaches. */
export function recordingGateway(options: Partial<GatewayPlanOptions> = {}): { gateway: GatewayPlan; attachments: LoadBalancerAttachment[] } {
  const gateway = new GatewayPlan({ name: 'gateway', namespace: 'edge', ...options });
  const attachments: LoadBalancerAttachment[] = [];
  const attach = gateway.attachLoadBalancer.bind(gateway);
  jest.spyOn(gateway, 'attachLoadBalancer').mockImplementation((attachment) => {
    attachments.push(attachment);
    attach(attachment);
  });
  return { gateway, attachments };
}
