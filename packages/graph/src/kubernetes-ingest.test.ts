import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphInputError } from './graph-errors';
import { createKnowledgeGraph } from './knowledge-graph';
import { ingestKubernetes } from './kubernetes-ingest';
import { loadSnapshot } from './snapshot-persistence';

const now = Date.parse('2026-03-02T01:00:00Z');
const clock = { now: () => now };
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const secrets = [
  'hunter2',
  's3cret',
  'czNjcmV0',
  'cG9zdGdyZXM6Ly9jYXJ0OnMzY3JldEBjYXJ0LWRiOjU0MzIvY2FydA==',
  'abc123secret',
];

function shopGraph() {
  const graph = createKnowledgeGraph({ clock });
  const manifests = ingestKubernetes(graph, fixture('shop-manifests.yaml'), {
    citation: 'shop-manifests.yaml',
  });
  const listed = ingestKubernetes(graph, fixture('kubectl-get-all.yaml'), {
    citation: 'kubectl get all -n shop',
  });
  return { graph, manifests, listed };
}

const targets = (graph: ReturnType<typeof createKnowledgeGraph>, from: string, kind = 'depends-on') =>
  graph
    .edges({ from, kinds: [kind as 'depends-on'] })
    .map((edge) => edge.target)
    .sort();

describe('ingestKubernetes on real-world manifests', () => {
  it('ingests every supported object and skips the Secret, ReplicaSet and Endpoints with reasons', () => {
    const { manifests, listed } = shopGraph();
    expect(manifests.errors).toEqual([]);
    expect(manifests.ingested).toBe(15);
    expect(manifests.skipped).toEqual([
      expect.objectContaining({
        documentIndex: 1,
        kind: 'Secret',
        name: 'cart-db-credentials',
        reason: expect.stringMatching(/never read/),
      }),
    ]);
    expect(listed.errors).toEqual([]);
    expect(listed.ingested).toBe(4);
    expect(listed.skipped.map((entry) => [entry.path, entry.kind])).toEqual([
      ['items[2]', 'ReplicaSet'],
      ['items[4]', 'Endpoints'],
    ]);
  });

  it('infers Redis and PostgreSQL dependencies from env vars, with the datastore kind', () => {
    const { graph } = shopGraph();
    expect(targets(graph, 'deployment:shop/cart')).toEqual([
      'external:global/api.payments.example.com',
      'postgres:shop/cart-db',
      'redis:shop/session-cache',
      'service:shop/catalog',
    ]);
    const redis = graph.getEdge('deployment:shop/cart -[depends-on]-> redis:shop/session-cache');
    expect(redis?.attributes).toEqual({
      via: 'env:REDIS_URL',
      endpoint: 'redis://session-cache.shop.svc.cluster.local:6379',
      protocol: 'redis',
    });
    expect(redis?.confidence).toBe(0.9);
    expect(redis?.provenance[0]?.citation).toBe('shop-manifests.yaml: Deployment shop/cart env:REDIS_URL');
    expect(
      graph.getEdge<'depends-on'>('deployment:shop/cart -[depends-on]-> postgres:shop/cart-db')?.attributes
        .endpoint,
    ).toBe('postgres://cart@cart-db:5432/cart');
    // *_HOST with a sibling *_PORT, *_SERVICE_HOST naming a Service, an external URL.
    expect(targets(graph, 'deployment:shop/recommendation')).toEqual([
      'external:global/models.example.com',
      'redis:shop/session-cache',
      'service:shop/catalog',
    ]);
    // The CronJob reaches the database through a cluster DNS name in PGHOST.
    expect(targets(graph, 'cronjob:shop/cart-db-backup')).toEqual(['postgres:shop/cart-db']);
    // The ConfigMap's values were read (never stored) for dependencies.
    expect(
      graph.getEdge<'depends-on'>('deployment:shop/cart -[depends-on]-> service:shop/catalog')?.attributes
        .via,
    ).toBe('configmap:cart-config/CATALOG_URL');
  });

  it('classifies Services by the images they select and links them to their workloads', () => {
    const { graph } = shopGraph();
    expect(graph.getNode('postgres:shop/cart-db')?.attributes).toMatchObject({
      engine: 'postgres',
      ports: [{ name: 'postgres', port: 5432 }],
    });
    expect(graph.getNode('redis:shop/session-cache')?.attributes).toMatchObject({ engine: 'redis' });
    expect(graph.hasNode('service:shop/cart-db')).toBe(false);
    expect(targets(graph, 'service:shop/cart', 'selects')).toEqual(['deployment:shop/cart']);
    expect(targets(graph, 'postgres:shop/cart-db', 'selects')).toEqual(['statefulset:shop/cart-db']);
    expect(targets(graph, 'ingress:shop/shop')).toEqual(['service:shop/frontend']);
    expect(graph.getNode('ingress:shop/shop')?.attributes).toMatchObject({
      hosts: ['shop.example.com'],
      tlsSecretRefs: ['shop-tls'],
    });
  });

  it('records resources, GPUs, the HPA, the CronJob schedule, owners and tiers', () => {
    const { graph } = shopGraph();
    const cart = graph.getNode<'deployment'>('deployment:shop/cart');
    expect(cart?.attributes).toMatchObject({
      replicas: 3,
      team: 'checkout',
      tier: 1,
      application: 'shop',
      resources: {
        cpuRequestMillicores: 250,
        cpuLimitMillicores: 1000,
        memoryRequestBytes: 256 * 2 ** 20,
        memoryLimitBytes: 512 * 2 ** 20,
      },
      autoscaling: { minReplicas: 3, maxReplicas: 12, targetCpuUtilizationPercent: 70, metrics: ['cpu'] },
      secretRefs: ['cart-db-credentials/password'],
      configMapRefs: ['cart-config'],
    });
    expect(graph.getNode<'deployment'>('deployment:shop/recommendation')?.attributes.resources).toMatchObject(
      { gpuRequest: 1, gpuLimit: 1 },
    );
    expect(graph.getNode<'cronjob'>('cronjob:shop/cart-db-backup')?.attributes).toMatchObject({
      schedule: '0 3 * * *',
      suspended: false,
    });
    expect(targets(graph, 'deployment:shop/cart', 'owned-by')).toEqual(['team:global/checkout']);
    expect(targets(graph, 'deployment:shop/recommendation', 'owned-by')).toEqual(['team:global/ml-platform']);
    expect(targets(graph, 'namespace:global/shop', 'owned-by')).toEqual(['team:global/storefront']);
    expect(targets(graph, 'deployment:shop/cart', 'configured-by')).toEqual(['configmap:shop/cart-config']);
    expect(graph.getNode<'configmap'>('configmap:shop/cart-config')?.attributes.keys).toEqual([
      'CART_TTL_SECONDS',
      'CATALOG_URL',
      'LOG_LEVEL',
      'PAYMENTS_API',
    ]);
  });

  it('links pods to their workloads and nodes, and Jobs to their CronJob', () => {
    const { graph } = shopGraph();
    expect(targets(graph, 'pod:shop/cart-7d9f8b6c5-x2x9k', 'part-of')).toEqual(['deployment:shop/cart']);
    expect(targets(graph, 'pod:shop/cart-7d9f8b6c5-x2x9k', 'runs-on')).toEqual(['node:global/worker-1']);
    expect(graph.getNode('pod:shop/cart-7d9f8b6c5-x2x9k')?.attributes).toMatchObject({
      phase: 'Running',
      restarts: 2,
      ready: true,
    });
    expect(targets(graph, 'job:shop/cart-db-backup-29536020', 'part-of')).toEqual([
      'cronjob:shop/cart-db-backup',
    ]);
    expect(graph.getNode('node:global/worker-1')?.attributes).toMatchObject({
      zone: 'eu-west-1a',
      instanceType: 'g5.xlarge',
      ready: true,
      capacity: { cpuMillicores: 4000, gpu: 1, pods: 58 },
    });
    // The pod's owner carries the dependencies: the pod adds no duplicate edges.
    expect(graph.edges({ from: 'pod:shop/cart-7d9f8b6c5-x2x9k', kinds: ['depends-on'] })).toEqual([]);
  });

  it('answers the scope questions of an investigation', () => {
    const { graph } = shopGraph();
    const dependencies = graph.dependencies('service:shop/cart').map((hit) => `${hit.ref}@${hit.depth}`);
    expect(dependencies).toEqual(
      expect.arrayContaining([
        'deployment:shop/cart@0',
        'redis:shop/session-cache@1',
        'postgres:shop/cart-db@1',
        'node:global/worker-1@1',
      ]),
    );
    const blastRadius = graph
      .dependents('postgres:shop/cart-db', { depth: 2, kinds: ['service', 'cronjob'] })
      .map((hit) => hit.ref);
    expect(blastRadius).toEqual(
      expect.arrayContaining(['service:shop/cart', 'cronjob:shop/cart-db-backup', 'service:shop/frontend']),
    );
    expect(graph.peersSharing('service:shop/cart').map((peer) => [peer.ref, peer.shared])).toEqual([
      ['cronjob:shop/cart-db-backup', ['postgres:shop/cart-db']],
      ['service:shop/recommendation', ['redis:shop/session-cache']],
    ]);
  });

  it('never stores a secret value, in the graph or in its snapshot', () => {
    const { graph } = shopGraph();
    const snapshot = JSON.stringify(graph.snapshot());
    for (const secret of secrets) expect(snapshot).not.toContain(secret);
    const views = JSON.stringify([
      graph.nodes(),
      graph.edges(),
      graph.nodes().map((node) => graph.facts(node.ref)),
    ]);
    for (const secret of secrets) expect(views).not.toContain(secret);
    // Only that a secret is referenced.
    expect(snapshot).toContain('cart-db-credentials/password');
    expect(snapshot).not.toContain('last-applied-configuration');
    // The snapshot loads back to the same facts.
    expect(JSON.stringify(loadSnapshot(snapshot, { clock }).snapshot())).toBe(snapshot);
  });

  it('accepts JSON (a List) and already parsed objects', () => {
    const graph = createKnowledgeGraph({ clock });
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'orders', namespace: 'shop' },
          spec: { selector: { app: 'orders' }, ports: [{ port: 80 }] },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'orders', namespace: 'shop' },
          spec: {
            template: {
              metadata: { labels: { app: 'orders' } },
              spec: {
                containers: [
                  {
                    name: 'orders',
                    image: 'orders:1',
                    env: [{ name: 'QUEUE_URL', value: 'amqp://user:pw@rabbit.shop:5672' }],
                  },
                ],
              },
            },
          },
        },
      ],
    };
    const fromJson = ingestKubernetes(graph, JSON.stringify(list));
    expect(fromJson).toMatchObject({ ingested: 2, errors: [] });
    expect(targets(graph, 'deployment:shop/orders')).toEqual(['queue:shop/rabbit']);
    expect(targets(graph, 'service:shop/orders', 'selects')).toEqual(['deployment:shop/orders']);
    const other = createKnowledgeGraph({ clock });
    expect(ingestKubernetes(other, list.items)).toMatchObject({ ingested: 2, errors: [] });
    expect(other.snapshot()).toEqual(graph.snapshot());
  });

  it('links a Service to a workload ingested in an earlier batch, and the reverse', () => {
    const graph = createKnowledgeGraph({ clock });
    ingestKubernetes(
      graph,
      fixture('shop-manifests.yaml')
        .split('\n---\n')
        .filter((document) => !document.includes('kind: Service\n'))
        .join('\n---\n'),
    );
    expect(targets(graph, 'service:shop/cart', 'selects')).toEqual([]);
    ingestKubernetes(
      graph,
      fixture('shop-manifests.yaml')
        .split('\n---\n')
        .filter((document) => document.includes('kind: Service\n'))
        .join('\n---\n'),
    );
    expect(targets(graph, 'service:shop/cart', 'selects')).toEqual(['deployment:shop/cart']);
    expect(targets(graph, 'postgres:shop/cart-db', 'selects')).toEqual(['statefulset:shop/cart-db']);

    const reverse = createKnowledgeGraph({ clock });
    ingestKubernetes(
      reverse,
      'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec: {selector: {app: api}}\n',
    );
    ingestKubernetes(
      reverse,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: api, image: api:1}]}\n',
    );
    expect(targets(reverse, 'service:shop/api', 'selects')).toEqual(['deployment:shop/api']);
  });
});

describe('ingestKubernetes on bad input', () => {
  it('reports a malformed document in the middle with its index and field path, and ingests the others', () => {
    const graph = createKnowledgeGraph({ clock });
    const report = ingestKubernetes(graph, fixture('malformed-manifests.yaml'));
    expect(report.ingested).toBe(2);
    expect(report.errors).toHaveLength(1);
    const error = report.errors[0] as GraphInputError;
    expect(error).toBeInstanceOf(GraphInputError);
    expect(GraphInputError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'invalid-document',
      documentIndex: 1,
      path: 'spec.template.spec.containers',
    });
    expect(error.message).toMatch(
      /^graph-kubernetes: document 1 at spec\.template\.spec\.containers: Deployment: /,
    );
    expect(graph.hasNode('configmap:shop/checkout-config')).toBe(true);
    expect(graph.hasNode('service:shop/payments')).toBe(true);
    expect(graph.hasNode('deployment:shop/checkout')).toBe(false);
  });

  it('emits node:added and edge:added for everything it creates, and fact:updated for what a later scan changes', () => {
    const graph = createKnowledgeGraph({ clock });
    const added: string[] = [];
    const edges: string[] = [];
    const updated: string[] = [];
    graph.events.on('node:added', (event) => added.push(event.ref));
    graph.events.on('edge:added', (event) => edges.push(event.key));
    graph.events.on('fact:updated', (event) => updated.push(`${event.subject}#${event.attribute ?? ''}`));
    const report = ingestKubernetes(graph, fixture('shop-manifests.yaml'), {
      citation: 'shop-manifests.yaml',
    });
    expect(added).toHaveLength(report.nodesCreated);
    expect(new Set(added)).toEqual(new Set(graph.nodes().map((node) => node.ref)));
    expect(edges).toHaveLength(report.edgesCreated);
    expect(new Set(edges)).toEqual(new Set(graph.edges().map((edge) => edge.key)));
    updated.length = 0;
    ingestKubernetes(
      graph,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'cart', namespace: 'shop', labels: { team: 'checkout' } },
        spec: {
          replicas: 7,
          template: {
            spec: { containers: [{ name: 'cart', image: 'registry.example.com/shop/cart:1.15.0' }] },
          },
        },
      },
      { citation: 'kubectl get deploy cart', observedAt: now + 60_000 },
    );
    expect(updated).toEqual(
      expect.arrayContaining(['deployment:shop/cart#replicas', 'deployment:shop/cart#images']),
    );
  });

  it('keeps everything already in the graph', () => {
    const { graph } = shopGraph();
    const before = JSON.stringify(graph.snapshot());
    const report = ingestKubernetes(graph, [
      {
        kind: 'Deployment',
        metadata: { name: 'cart', namespace: 'shop' },
        spec: { template: { spec: { containers: [] } } },
      },
      'not an object',
      { metadata: { name: 'nameless-kind' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'shop' } },
    ]);
    expect(report.ingested).toBe(0);
    expect(report.errors.map((error) => [error.documentIndex, error.path])).toEqual([
      [0, 'spec.template.spec.containers'],
      [1, ''],
      [2, 'kind'],
      [3, 'metadata.name'],
    ]);
    expect(JSON.stringify(graph.snapshot())).toBe(before);
  });

  it('reports a YAML syntax error per document and parses the rest', () => {
    const graph = createKnowledgeGraph({ clock });
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: shop\n  data: [unclosed',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}',
    ].join('\n---\n');
    const report = ingestKubernetes(graph, text);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ code: 'invalid-yaml', documentIndex: 1 });
    expect(
      graph
        .nodes()
        .map((node) => node.ref)
        .sort(),
    ).toEqual(['configmap:shop/a', 'configmap:shop/c']);
  });

  it('reports an invalid item of a List with its path inside the list', () => {
    const graph = createKnowledgeGraph({ clock });
    const report = ingestKubernetes(graph, {
      kind: 'List',
      items: [
        { kind: 'ConfigMap', metadata: { name: 'ok', namespace: 'shop' } },
        {
          kind: 'Pod',
          metadata: { name: 'bad', namespace: 'shop' },
          spec: { containers: [{ name: 'x', resources: { limits: 'lots' } }] },
        },
      ],
    });
    expect(report.errors[0]).toMatchObject({
      documentIndex: 0,
      path: 'items[1].spec.containers[0].resources.limits',
    });
    expect(report.ingested).toBe(1);
  });
});
