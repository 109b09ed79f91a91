import { type EntityRef, formatEntityRef } from '@aisre/core';

/** The namespace of every PetShop entity: `service:petshop/PetSite`. */
export const petShopNamespace = 'petshop';

/** Every entity kind {@link petShopEntityKind} can give, for patterns that apply to all of them. */
export const petShopEntityKinds: readonly string[] = [
  'service',
  'function',
  'database',
  'queue',
  'workflow',
  'gateway',
  'cloud-service',
  'external',
  'client',
];

/**
 * The entity kind of a component, read from its AWS X-Ray node name the way an engineer would:
 * `…_remote` → `external` (a remote endpoint seen by its callers), `…_client` → `client` (the client side of
 * a call), `…AWS::Lambda…` → `function`, DynamoDB tables, SQL databases and S3 → `database`, SQS → `queue`,
 * Step Functions → `workflow`, API Gateway → `gateway`, other `…_AWS::<Service>` endpoints →
 * `cloud-service`, and everything else (ECS, EC2, plain names) → `service`.
 *
 * @param component - the component's name in the dataset
 */
export function petShopEntityKind(component: string): string {
  if (/_remote$/.test(component)) return 'external';
  if (/_client$/.test(component)) return 'client';
  if (/AWS::Lambda(::Function)?$/.test(component)) return 'function';
  if (/(AWS::DynamoDB(::Table)?|Database::SQL|AWS::S3)$/.test(component)) return 'database';
  if (/AWS::SQS::Queue$/.test(component)) return 'queue';
  if (/AWS::StepFunctions/.test(component)) return 'workflow';
  if (/AWS::ApiGateway/.test(component)) return 'gateway';
  if (/_AWS::[A-Za-z]+$/.test(component)) return 'cloud-service';
  return 'service';
}

/** The entity refs of a dataset's components, both ways. */
export interface ComponentIndex {
  /** The ref of each component. */
  refOf: ReadonlyMap<string, EntityRef>;
  /** The component of each ref. */
  componentOf: ReadonlyMap<EntityRef, string>;
}

/**
 * Gives every component an entity ref `kind:petshop/name`: characters a ref cannot hold (`/`, spaces) become
 * `_`, and a name that would collide with another gets a numeric suffix. The original name stays in the
 * entity's `component` attribute.
 *
 * @param components - the component names, in a stable order
 */
export function indexComponents(components: readonly string[]): ComponentIndex {
  const refOf = new Map<string, EntityRef>();
  const componentOf = new Map<EntityRef, string>();
  for (const component of components) {
    if (refOf.has(component)) continue;
    const base =
      component
        .replace(/[^A-Za-z0-9._:@+-]/g, '_')
        .replace(/^[^A-Za-z0-9_]/, '_')
        .slice(0, 240) || '_';
    let ref = formatEntityRef({
      kind: petShopEntityKind(component),
      namespace: petShopNamespace,
      name: base,
    });
    for (let suffix = 2; componentOf.has(ref); suffix++) {
      ref = formatEntityRef({
        kind: petShopEntityKind(component),
        namespace: petShopNamespace,
        name: `${base}-${suffix}`,
      });
    }
    refOf.set(component, ref);
    componentOf.set(ref, component);
  }
  return { refOf, componentOf };
}
