import { drainingServiceObjects, DrainingServicePlan, resolveDrainingServiceOptions, solveDrainingBudget } from '../../../lib/core/draining-service';
import { Duration } from '../../../lib/core/duration';
import { defaultDnsDiscovery } from '../../../lib/core/timing/windows';
import { GatewayInFront } from '../../../lib/core/upstream-link';

const OPTIONS = { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready' };

function slowDnsGateway(name: string): GatewayInFront {
  return { gateway: `Deployment/edge/${name}`, discovery: defaultDnsDiscovery({ dnsTtlSeconds: 60 }), activeHealthCheckIntervalSeconds: 5 };
}

describe('DrainingServicePlan', () => {
  test("states the spec's facts and the references gateways use", () => {
    const plan = new DrainingServicePlan({ ...OPTIONS, port: 9090, appDrainTime: Duration.seconds(7) });
    expect(plan.spec.appDrainSeconds).toBe(7);
    expect(plan.facts).toMatchObject({
      name: 'orders',
      namespace: 'shop',
      port: 9090,
      healthCheckPath: '/ready',
      deploymentObject: 'Deployment/shop/orders',
      serviceObject: 'Service/shop/orders',
      headlessServiceObject: 'Service/shop/orders-headless',
      headlessDnsName: 'orders-headless.shop.svc.cluster.local',
    });
  });

  test("takes the face's default namespace only when the props name none, and default after that", () => {
    const asked: string[] = [];
    const face = () => { asked.push('asked'); return 'chart-ns'; };
    expect(new DrainingServicePlan(OPTIONS, face).facts.namespace).toBe('shop');
    expect(asked).toEqual([]);
    expect(new DrainingServicePlan({ ...OPTIONS, namespace: undefined }, face).facts.namespace).toBe('chart-ns');
    expect(new DrainingServicePlan({ ...OPTIONS, namespace: undefined }, () => undefined).facts.namespace).toBe('default');
    expect(new DrainingServicePlan({ ...OPTIONS, namespace: undefined }).facts.namespace).toBe('default');
  });

  test('solves again over every registered gateway, and the objects follow', () => {
    const plan = new DrainingServicePlan(OPTIONS);
    const spec = resolveDrainingServiceOptions(OPTIONS);
    expect(plan.budget).toEqual(solveDrainingBudget(spec, []));
    const before = plan.objects();
    const gateway = slowDnsGateway('edge');
    plan.registerGateway(gateway);
    expect(plan.gatewaysInFront).toEqual([gateway]);
    expect(plan.budget).toEqual(solveDrainingBudget(spec, [gateway]));
    expect(plan.budget.keepServingSeconds).toBeGreaterThan(before.budget.keepServingSeconds);
    const after = plan.objects();
    expect(after).toEqual({ ...drainingServiceObjects(spec, plan.budget), budget: plan.budget, preStopAction: spec.preStopAction });
    expect(plan.objects()).toBe(after);
  });

  test('a gateway whose delay breaks a set preStopDelay is refused and not registered', () => {
    const plan = new DrainingServicePlan({ ...OPTIONS, preStopDelay: Duration.seconds(45) });
    expect(() => plan.registerGateway(slowDnsGateway('slow'))).toThrow(/'preStopDelay' \(45s\) must be at least/);
    expect(plan.gatewaysInFront).toEqual([]);
  });

  test('fails on a prop out of bounds, naming it', () => {
    expect(() => new DrainingServicePlan({ ...OPTIONS, replicas: 1 })).toThrow(/'replicas' \(1\)/);
  });
});
