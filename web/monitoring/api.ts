/**
 * The monitoring-data interface: enterprises push readings and video status with their
 * data-interface key (not a user token). Mounted before `bearerAuth`. 200 when every item was
 * accepted (or was a duplicate), 207 when some were refused; the body answers item by item.
 */
import type { Request, Response } from 'express';
import { operations } from '../api/v1/operations';
import type { IngestResult } from './readings';
import type { Services } from '../composition';
import { ingestResult, readingsBatch, videoStatusBatch } from './schemas';

const responses = {
  200: { description: 'every item accepted (or a duplicate)', schema: ingestResult },
  207: { description: 'some items refused, each named by index', schema: ingestResult },
};

/** Item-by-item answer of a batch: 207 when any item was refused. */
const answered =
  (ingest: (authorization: string | undefined, body: unknown) => Promise<IngestResult>) =>
  async (req: Request, res: Response) => {
    const out = await ingest(req.headers.authorization, req.body);
    res.status(out.refused ? 207 : 200).json(out);
  };

export function monitoringApi(s: Services) {
  const api = operations('monitoring');
  api.post(
    '/readings',
    {
      summary: 'Push monitoring readings (监测数据) of the key’s enterprise',
      auth: 'dataKey',
      body: readingsBatch,
      responses,
    },
    answered((authorization, body) => s.readings.ingestReadings(authorization, body)),
  );
  api.post(
    '/video-status',
    {
      summary: 'Push video-channel status (视频通道在线状态) of the key’s enterprise',
      auth: 'dataKey',
      body: videoStatusBatch,
      responses,
    },
    answered((authorization, body) => s.readings.ingestVideoStatus(authorization, body)),
  );
  return api.router;
}
