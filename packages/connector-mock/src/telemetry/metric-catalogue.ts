import type { ModelEntity, SystemModel } from '../simulation/system-model';
import { cronjobSeries, postgresSeries, queueSeries, redisSeries } from './datastore-series';
import { containerSeries, type SeriesDefinition, volumeSeries } from './metric-definition';
import { httpClientSeries, httpServerSeries } from './service-series';

/** Every series of one entity, in a stable order. */
export function entitySeries(model: SystemModel, entity: ModelEntity): SeriesDefinition[] {
  switch (entity.kind) {
    case 'service':
      return [
        ...(entity.servesHttp ? httpServerSeries(entity) : []),
        ...httpClientSeries(model, entity),
        ...containerSeries(entity),
        ...volumeSeries(entity),
      ];
    case 'redis':
      return [...redisSeries(entity), ...containerSeries(entity), ...volumeSeries(entity)];
    case 'postgres':
      return [...postgresSeries(entity), ...containerSeries(entity), ...volumeSeries(entity)];
    case 'queue':
      return queueSeries(entity);
    case 'cronjob':
      return [...cronjobSeries(entity), ...containerSeries(entity), ...httpClientSeries(model, entity)];
    default:
      return [];
  }
}

const catalogues = new WeakMap<SystemModel, SeriesDefinition[]>();

/** Every series the simulated system exposes, in a stable order (cached per model). */
export function metricCatalogue(model: SystemModel): SeriesDefinition[] {
  let catalogue = catalogues.get(model);
  if (!catalogue) {
    catalogue = model.entities.flatMap((entity) => entitySeries(model, entity));
    catalogues.set(model, catalogue);
  }
  return catalogue;
}
