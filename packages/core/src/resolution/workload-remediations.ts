import type { RemediationProposal } from '../contracts/remediation';
import type { RankedCause, Report } from '../contracts/report';
import { lowLoadSchedule } from './low-load-schedule';
import type { RemediationCatalogueEntry } from './remediation-catalogue';
import { createRemediationProposal } from './remediation-proposals';
import { currentSetting, gibibyte, mebibyte, raised } from './remediation-sizing';
import { changesOf, numberAttribute, textAttribute, topologyAttributes } from './report-facts';

const kindOf = (ref: string) => ref.slice(0, ref.indexOf(':'));

function rollbackRelease(conclusion: RankedCause, report: Report, why: string): RemediationProposal {
  const deploy = changesOf(report, conclusion.entity, ['deploy'])[0];
  const released = deploy?.attributes.to;
  return createRemediationProposal(conclusion, report, {
    title: `Roll ${conclusion.entity} back to its previous release`,
    type: 'deployment.rollback',
    parameters: { toRevision: 'previous' },
    risk: 'medium',
    rollback:
      typeof released === 'string' || typeof released === 'number'
        ? {
            type: 'deployment.rollback',
            target: conclusion.entity,
            parameters: { toRevision: String(released) },
          }
        : `redeploy the release of ${conclusion.entity} that was rolled back`,
    rationale: `${why}${deploy ? ` The last deploy: ${deploy.summary} at ${deploy.at}.` : ''}`,
  });
}

/** `deploy.bad-release`: roll back to the previous release. */
export const badReleaseRemediation: RemediationCatalogueEntry = {
  fault: 'deploy.bad-release',
  propose: (conclusion, report) => [
    rollbackRelease(
      conclusion,
      report,
      'The errors or latency started with a release; the previous release ran without them.',
    ),
  ],
};

/** `config.bad-change`: revert the configuration change. */
export const badConfigRemediation: RemediationCatalogueEntry = {
  fault: 'config.bad-change',
  propose(conclusion, report) {
    const change = changesOf(report, conclusion.entity, ['config'])[0];
    const key = change?.attributes.key;
    return [
      createRemediationProposal(conclusion, report, {
        title: `Revert the last configuration change of ${conclusion.entity}`,
        type: 'config.revert',
        parameters: {
          change: change?.id ?? 'latest',
          ...(typeof key === 'string' ? { key } : {}),
        },
        risk: 'low',
        rollback: change
          ? `re-apply the change (${change.summary}) if reverting makes things worse`
          : `re-apply the reverted configuration of ${conclusion.entity} if reverting makes things worse`,
        rationale: `The trouble started with a configuration change${change ? ` (${change.summary} at ${change.at})` : ''}; the previous configuration ran without it.`,
      }),
    ];
  },
};

/** `memory.leak`: restart, and raise the memory limit for a while (and roll back a recent release). */
export const memoryLeakRemediation: RemediationCatalogueEntry = {
  fault: 'memory.leak',
  propose(conclusion, report) {
    const target = conclusion.entity;
    const limit = currentSetting(report, target, [
      { attribute: 'memoryLimitBytes' },
      { attribute: 'memoryLimitMb', unit: mebibyte },
      { metric: 'kube_pod_container_resource_limits', labels: { resource: 'memory' } },
      { metric: 'container_memory_working_set_bytes', usage: true },
    ]);
    const memory = limit ? raised(limit.value, 1.5, mebibyte) : undefined;
    const proposals = [
      createRemediationProposal(conclusion, report, {
        title: `Restart ${target}`,
        type: 'deployment.restart',
        parameters: {},
        risk: 'medium',
        rollback: 'nothing to undo: the pods restart with the same specification',
        rationale:
          'A rolling restart frees the leaked memory and stops the OOM kills for a while; the leak grows again until it is fixed.',
      }),
      createRemediationProposal(conclusion, report, {
        title: memory
          ? `Raise the memory limit of ${target} to ${Math.round(memory / mebibyte)} MiB for now`
          : `Raise the memory limit of ${target} by 50 % for now`,
        type: 'deployment.set-resources',
        parameters: memory ? { memory, temporary: true } : { memoryFactor: 1.5, temporary: true },
        risk: 'medium',
        rollback:
          limit?.source === 'limit'
            ? { type: 'deployment.set-resources', target, parameters: { memory: limit.value } }
            : `set the memory limit of ${target} back to its previous value once the leak is fixed`,
        rationale: `More room spaces out the OOM kills while the leak is found; it is temporary and costs node memory.${limit ? ` Sized from ${limit.from}.` : ''}`,
      }),
    ];
    if (changesOf(report, target, ['deploy']).length > 0) {
      proposals.push(
        rollbackRelease(conclusion, report, 'A release shortly before the leak may have brought it.'),
      );
    }
    return proposals;
  },
};

/** `cpu.saturation`: scale a service out by 50 %; raise the CPU limit. */
export const cpuSaturationRemediation: RemediationCatalogueEntry = {
  fault: 'cpu.saturation',
  propose(conclusion, report) {
    const target = conclusion.entity;
    const proposals: RemediationProposal[] = [];
    if (kindOf(target) === 'service') {
      const replicas = numberAttribute(topologyAttributes(report, target), ['replicas']);
      const wanted = replicas ? Math.max(replicas + 1, Math.ceil(replicas * 1.5)) : undefined;
      proposals.push(
        createRemediationProposal(conclusion, report, {
          title: wanted ? `Scale ${target} out to ${wanted} replicas` : `Scale ${target} out by 50 %`,
          type: 'deployment.scale',
          parameters: wanted ? { replicas: wanted } : { replicasFactor: 1.5 },
          risk: 'low',
          rollback: replicas
            ? { type: 'deployment.scale', target, parameters: { replicas } }
            : `scale ${target} back to its previous replica count`,
          rationale: `Its containers use their whole CPU limit; more replicas share the load. Watch what they call: more replicas also mean more connections downstream.`,
        }),
      );
    }
    const cpu = currentSetting(report, target, [
      { attribute: 'cpuLimitCores' },
      { metric: 'kube_pod_container_resource_limits', labels: { resource: 'cpu' } },
    ]);
    const cores = cpu ? raised(cpu.value, 1.5, 0.1) : undefined;
    proposals.push(
      createRemediationProposal(conclusion, report, {
        title: cores
          ? `Raise the CPU limit of ${target} to ${cores.toFixed(1)} cores`
          : `Raise the CPU limit of ${target} by 50 %`,
        type: 'deployment.set-resources',
        parameters: cores ? { cpu: Number(cores.toFixed(1)) } : { cpuFactor: 1.5 },
        risk: 'medium',
        rollback: cpu
          ? { type: 'deployment.set-resources', target, parameters: { cpu: cpu.value } }
          : `set the CPU limit of ${target} back to its previous value`,
        rationale: 'A higher limit stops the throttling if the nodes have the CPU; pods restart to take it.',
      }),
    );
    return proposals;
  },
};

/** `cronjob.resource-contention`: move the job to a quiet time, or suspend it. */
export const cronjobContentionRemediation: RemediationCatalogueEntry = {
  fault: 'cronjob.resource-contention',
  propose(conclusion, report) {
    const target = conclusion.entity;
    const current = textAttribute(topologyAttributes(report, target), ['schedule']);
    const schedule = lowLoadSchedule(Date.parse(report.trigger.at), current);
    return [
      createRemediationProposal(conclusion, report, {
        title: `Move ${target} to a quiet time (${schedule} UTC)`,
        type: 'cronjob.reschedule',
        parameters: { schedule },
        risk: 'low',
        rollback: current
          ? { type: 'cronjob.reschedule', target, parameters: { schedule: current } }
          : `reschedule ${target} back to its previous schedule (read it before applying)`,
        rationale: `The job loads the datastores it uses while it runs; at a quiet time it competes with less traffic. The time is the built-in rule's choice: check it against your traffic.`,
      }),
      createRemediationProposal(conclusion, report, {
        title: `Suspend ${target}`,
        type: 'cronjob.suspend',
        parameters: {},
        risk: 'low',
        rollback: { type: 'cronjob.resume', target, parameters: {} },
        rationale:
          'Stops the running job and its next runs until it is resumed; the work it does is postponed.',
      }),
    ];
  },
};

/** `disk.full`: expand the volume by 50 % (high risk: a volume cannot shrink). */
export const diskFullRemediation: RemediationCatalogueEntry = {
  fault: 'disk.full',
  propose(conclusion, report) {
    const target = conclusion.entity;
    const size = currentSetting(report, target, [
      { attribute: 'volumeSizeGi', unit: gibibyte },
      { attribute: 'storageGi', unit: gibibyte },
      { metric: 'kubelet_volume_stats_capacity_bytes' },
      { metric: 'kubelet_volume_stats_used_bytes', usage: true },
    ]);
    const sizeGi = size ? Math.ceil((size.value * 1.5) / gibibyte) : undefined;
    return [
      createRemediationProposal(conclusion, report, {
        title: sizeGi
          ? `Expand the volume of ${target} to ${sizeGi} GiB`
          : `Expand the volume of ${target} by 50 %`,
        type: 'volume.expand',
        parameters: sizeGi ? { sizeGi } : { sizeFactor: 1.5 },
        risk: 'high',
        rollback:
          'a volume cannot shrink: to undo, restore a snapshot onto a smaller volume during a maintenance window',
        rationale: `Writes fail because the volume is full. Needs a human: expansion is permanent, may need the file system grown, and does not remove what filled the disk.${size ? ` Sized from ${size.from}.` : ''}`,
      }),
    ];
  },
};
