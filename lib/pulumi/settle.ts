/**
 * Runs `produce` once the program's current synchronous run is over (the next turn of Node's
 * event loop, after every pending promise reaction), and resolves with its result.
 *
 * Pulumi creates resources in constructors, while cdk8s renders at synth. A component whose
 * objects depend on components created after it (a service on the gateways in front) hands its
 * resources Outputs from this promise: by the time it resolves, the rest of the synchronous
 * program has run, which is what cdk8s' synth gives for free. Pulumi keeps the program alive
 * until every resource's inputs have resolved, so nothing is lost.
 */
export function whenProgramSettles<T>(produce: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(produce());
      } catch (error) {
        reject(error);
      }
    });
  });
}
