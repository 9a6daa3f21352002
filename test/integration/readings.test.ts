/** The monitoring-data interface on the real servers: key, shapes, per-item answers, duplicates, and the alarm case it opens. */
import { waitForMail } from '../../lib/mailbox';
import { startStack, Stack } from '../helpers/stack';
import { SeededEnterprise, enterpriseUserToken, seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { until } from '../helpers/until';

let stack: Stack;
let ent: SeededEnterprise;
let other: SeededEnterprise;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'r');
  ent = await seedEnterprise(stack.models, 'r', 1, { devices: 4 });
  other = await seedEnterprise(stack.models, 'r', 2);
});
afterAll(async () => {
  await stack?.stop();
});

function post(body: unknown, key: string | undefined = ent.key, path = '/api/v1/readings') {
  return fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
}

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

describe('data-interface key', () => {
  it('no key, a malformed key and an unknown key are refused with 401 naming the authorization', async () => {
    const body = { readings: [{ deviceCode: ent.devices[0], indicator: 'dp', value: 500, ts: iso(0) }] };
    for (const key of ['', 'not-a-key', 'wfk.000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await post(body, key);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ field: 'authorization' });
    }
    // A user bearer token is not a data-interface key.
    const token = await enterpriseUserToken(stack.models, stack.baseUrl, ent.enterpriseId);
    expect((await post(body, token)).status).toBe(401);
  });
});

describe('batch shapes', () => {
  it('a body that is neither an array nor {readings:[…]} is a 400 naming readings', async () => {
    const res = await post({ reading: [] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'readings' });
    expect((await post([])).status).toBe(400);
  });

  it('a batch above the size limit is a 413 that says how many items are allowed', async () => {
    const items = Array.from({ length: 1001 }, (_, i) => ({
      deviceCode: ent.devices[0],
      indicator: 'dp',
      value: i,
      ts: iso(i * 1000),
    }));
    const res = await post(items);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toContain('at most 1000');
  });
});

describe('a mixed batch', () => {
  it('stores the good readings and refuses each bad one with a message naming the problem', async () => {
    const dev = ent.devices[1];
    const good = [
      { deviceCode: dev, indicator: 'dp', value: 500, ts: iso(60_000) },
      { deviceCode: dev, indicator: 'dp', value: 510, ts: Date.now() - 30_000 },
    ];
    const res = await post({
      readings: [
        good[0],
        { deviceCode: 'NO-SUCH-DEVICE', indicator: 'dp', value: 1, ts: iso(0) },
        { deviceCode: other.devices[0], indicator: 'dp', value: 1, ts: iso(0) },
        { deviceCode: dev, indicator: 'temp9', value: 1, ts: iso(0) },
        { deviceCode: dev, indicator: 'dp', value: 'high', ts: iso(0) },
        { deviceCode: dev, indicator: 'dp', value: 1, ts: new Date(Date.now() + 3600_000).toISOString() },
        { deviceCode: dev, indicator: 'dp', value: 1, ts: iso(30 * 86_400_000) },
        { deviceCode: dev, indicator: 'dp', value: 1, ts: 'yesterday' },
        good[1],
        'not an object',
      ],
    });
    expect(res.status).toBe(207);
    const out = (await res.json()) as {
      accepted: number;
      refused: number;
      results: { index: number; status: string; field?: string; error?: string }[];
    };
    expect(out.accepted).toBe(2);
    expect(out.refused).toBe(8);
    const r = out.results;
    expect(r[0].status).toBe('accepted');
    expect(r[1]).toMatchObject({
      status: 'refused',
      field: 'deviceCode',
      error: expect.stringContaining('unknown device NO-SUCH-DEVICE'),
    });
    expect(r[2]).toMatchObject({
      status: 'refused',
      field: 'deviceCode',
      error: expect.stringContaining('another enterprise'),
    });
    expect(r[3]).toMatchObject({
      status: 'refused',
      field: 'indicator',
      error: expect.stringContaining('no indicator temp9'),
    });
    expect(r[4]).toMatchObject({ status: 'refused', field: 'value' });
    expect(r[5]).toMatchObject({ status: 'refused', field: 'ts', error: expect.stringContaining('in the future') });
    expect(r[6]).toMatchObject({ status: 'refused', field: 'ts', error: expect.stringContaining('older than') });
    expect(r[7]).toMatchObject({ status: 'refused', field: 'ts' });
    expect(r[8].status).toBe('accepted');
    expect(r[9]).toMatchObject({ status: 'refused', field: 'readings' });

    const buckets = await stack.models.ReadingBucket.find({ deviceCode: dev }).lean();
    expect(buckets.flatMap((b) => Object.values(b.samples)).sort()).toEqual([500, 510]);
    expect(await stack.models.ReadingBucket.countDocuments({ deviceCode: other.devices[0] })).toBe(0);
    const latest = await stack.models.LatestValue.findById(`${dev}/dp`).lean();
    expect(latest?.value).toBe(510);
  });
});

describe('duplicates', () => {
  it('the same readings sent twice are stored once and counted once in the daily statistics', async () => {
    const dev = ent.devices[2];
    const batch = Array.from({ length: 5 }, (_, i) => ({
      deviceCode: dev,
      indicator: 'dp',
      value: 400 + i,
      ts: iso((5 - i) * 10_000),
    }));
    const first = await post(batch);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: 5, duplicates: 0, refused: 0 });
    const again = await post([...batch, batch[0]]);
    expect(again.status).toBe(200);
    const out = (await again.json()) as { accepted: number; duplicates: number; results: { status: string }[] };
    expect(out).toMatchObject({ accepted: 0, duplicates: 6 });
    const samples = (await stack.models.ReadingBucket.find({ deviceCode: dev }).lean()).flatMap((b) =>
      Object.values(b.samples),
    );
    expect(samples).toHaveLength(5);
    const stats = await stack.models.DeviceDayStat.find({ sourceId: dev }).lean();
    expect(stats.reduce((n, s) => n + s.readings, 0)).toBe(5);
    expect(stats[0]).toMatchObject({
      sourceKind: 'sensor',
      enterpriseId: ent.enterpriseId,
      industry: 'dust_explosion',
      expectedReadings: 288,
    });
  });
});

describe('monitoring alarm through the interface', () => {
  it('three readings above the threshold open one alarm case, mail the enterprise, and a burst of concurrent batches opens no duplicate; disposal plus normal values close it', async () => {
    const dev = ent.devices[3];
    const t0 = Date.now() - 120_000;
    const res = await post(
      [0, 1, 2].map((i) => ({
        deviceCode: dev,
        indicator: 'dp',
        value: 1200 + i,
        ts: new Date(t0 + i * 10_000).toISOString(),
      })),
    );
    expect(res.status).toBe(200);
    // A storm: 10 concurrent batches of readings in alarm for the same indicator.
    const storm = await Promise.all(
      Array.from({ length: 10 }, (_, b) =>
        post(
          [0, 1, 2].map((i) => ({
            deviceCode: dev,
            indicator: 'dp',
            value: 1300,
            ts: new Date(t0 + 30_000 + b * 3000 + i * 1000).toISOString(),
          })),
        ),
      ),
    );
    expect(storm.map((r) => r.status)).toEqual(Array(10).fill(200));

    const prefix = new RegExp(`^alarm/${dev}/dp/`);
    const record = await until(
      () => stack.models.CaseRecord.findOne({ _id: prefix, 'timeline.kind': 'notified' }).lean(),
      'the alarm case record',
    );
    expect(record).toMatchObject({
      type: 'monitoring_alarm',
      status: 'open',
      enterpriseId: ent.enterpriseId,
      trackingAgencyId: 'r-zone-safety',
      industry: 'dust_explosion',
    });
    expect(record.deadlines.map((d) => d.kind)).toEqual(['disposal']);
    const mail = await waitForMail(stack.mailboxDir, (m) => m.to.includes(ent.email) && m.subject.includes(dev));
    expect(mail.subject).toContain('监测报警');
    // The third reading in a row is the one that passed the debounce.
    expect(mail.text).toContain('1202Pa');
    const task = await stack.models.Task.findOne({ caseId: record._id }).lean();
    expect(task).toMatchObject({ kind: 'alarm_disposal', assigneeEnterpriseId: ent.enterpriseId, status: 'open' });

    const token = await until(
      async () => (await stack.models.User.exists({ _id: `user-${ent.enterpriseId}` })) && 'ok',
      'the user',
    ).then(() =>
      fetch(`${stack.baseUrl}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `user-${ent.enterpriseId}`, password: 'pw-123456' }),
      }).then(async (r) => ((await r.json()) as { token: string }).token),
    );
    const disposalUrl = `${stack.baseUrl}/api/v1/alarms/${dev}/dp/disposal`;
    const bad = await fetch(disposalUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ cause: '滤袋破损', measures: '', responsible: '张三' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'measures' });
    const filed = await fetch(disposalUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ cause: '滤袋破损', measures: '更换滤袋', responsible: '张三' }),
    });
    expect(filed.status).toBe(200);

    // Back to normal: two readings below threshold minus deadband.
    const normal = await post(
      [0, 1].map((i) => ({
        deviceCode: dev,
        indicator: 'dp',
        value: 500,
        ts: new Date(t0 + 80_000 + i * 1000).toISOString(),
      })),
    );
    expect(normal.status).toBe(200);
    const closed = await until(
      () => stack.models.CaseRecord.findOne({ _id: record._id, status: 'closed' }).lean(),
      'the closed alarm case',
    );
    expect(closed.timeline.map((e) => e.kind)).toEqual([
      'opened',
      'notified',
      'disposal_filed',
      'value_normal',
      'closed',
    ]);
    expect(await stack.models.CaseRecord.countDocuments({ _id: prefix })).toBe(1);
    const stat = await stack.models.DeviceDayStat.findOne({ sourceId: dev }).lean();
    expect(stat?.alarms).toBe(1);
  });
});

describe('video-channel status', () => {
  it('a channel of the enterprise is accepted, an unknown channel and a non-boolean status are refused naming the field', async () => {
    await stack.models.VideoChannel.create({
      _id: 'r-cam-1',
      enterpriseId: ent.enterpriseId,
      name: '除尘间摄像头',
      intervalSec: 60,
      createdAt: new Date(),
    });
    const res = await post(
      {
        statuses: [
          { channelId: 'r-cam-1', online: true, ts: iso(0) },
          { channelId: 'r-cam-404', online: true, ts: iso(0) },
          { channelId: 'r-cam-1', online: 'yes', ts: iso(0) },
        ],
      },
      ent.key,
      '/api/v1/video-status',
    );
    expect(res.status).toBe(207);
    const out = (await res.json()) as { results: { status: string; field?: string }[] };
    expect(out.results.map((r) => [r.status, r.field])).toEqual([
      ['accepted', undefined],
      ['refused', 'channelId'],
      ['refused', 'online'],
    ]);
    const live = await stack.models.DeviceLiveness.findById('video/r-cam-1').lean();
    expect(live).toMatchObject({ sourceKind: 'video', enterpriseId: ent.enterpriseId, offline: false });
    // Silent after 3 missed 60-second intervals.
    expect(live!.silentAfter.getTime() - live!.lastSeenAt.getTime()).toBe(180_000);
  });
});

describe('alarm policy as versioned data', () => {
  it('an administrator sets a new version (a bad one is refused naming the field) and the next alarm case runs on it', async () => {
    const { hashPassword } = await import('../../lib/passwords');
    await stack.models.User.create({
      _id: 'admin',
      displayName: 'admin',
      role: 'admin',
      passwordHash: await hashPassword('pw-123456'),
      active: true,
      createdAt: new Date(),
    });
    const tok = await fetch(`${stack.baseUrl}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'pw-123456' }),
    });
    const admin = ((await tok.json()) as { token: string }).token;
    const put = (body: unknown) =>
      fetch(`${stack.baseUrl}/api/v1/alarm-policy`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify(body),
      });
    const policy = {
      debounceReadings: 1,
      deadbandFraction: 0.1,
      normalReadings: 1,
      disposalWithin: 'PT30M',
      frozenReadings: 20,
      burstAlarmsPerDay: 3,
    };
    const bad = await put({ ...policy, disposalWithin: '30 minutes' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'disposalWithin' });
    const ok = await put(policy);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ...policy, version: 2 });

    const dev = ent.devices[0];
    expect((await post([{ deviceCode: dev, indicator: 'dp', value: 1100, ts: iso(0) }])).status).toBe(200);
    const record = await until(
      () => stack.models.CaseRecord.findOne({ _id: new RegExp(`^alarm/${dev}/dp/`) }).lean(),
      'the alarm case on the new policy',
    );
    expect(record.policyVersion).toBe(2);
    expect(Date.parse(record.deadlines[0].due) - record.openedAt.getTime()).toBe(30 * 60_000);
  });
});
