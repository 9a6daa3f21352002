import { bulkUpsert, isCaseServiceUnavailable, isDatabaseUnavailable } from '../../web/monitoring/readings';

describe('bulk upserts of readings and statistics', () => {
  it('after losing an upsert race (duplicate key) only the failed operations run again, so an $inc is not applied twice', async () => {
    const calls: string[][] = [];
    const target = {
      async bulkWrite(ops: { id: string }[]) {
        calls.push(ops.map((o) => o.id));
        if (calls.length === 1) throw Object.assign(new Error('E11000'), { writeErrors: [{ code: 11000, index: 1 }] });
        return {};
      },
    };
    await bulkUpsert(target, [{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(calls).toEqual([['a', 'b', 'c'], ['b']]);
  });

  it('any other write error is not retried', async () => {
    let n = 0;
    const target = {
      async bulkWrite() {
        n++;
        throw Object.assign(new Error('bad'), { writeErrors: [{ code: 2, index: 0 }] });
      },
    };
    await expect(bulkUpsert(target, [{}])).rejects.toThrow('bad');
    expect(n).toBe(1);
  });

  it('network and server-selection errors count as "database unavailable" (503), a validation error does not', () => {
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'MongoNetworkError' }),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { name: 'MongoServerSelectionError' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Cast to Number failed'))).toBe(false);
  });

  it('Temporal unreachable (gRPC UNAVAILABLE) counts as unavailable too, an invalid request does not', () => {
    expect(isCaseServiceUnavailable(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }))).toBe(true);
    expect(isCaseServiceUnavailable(Object.assign(new Error('x'), { cause: { code: 14 } }))).toBe(true);
    expect(isCaseServiceUnavailable(Object.assign(new Error('3 INVALID_ARGUMENT'), { code: 3 }))).toBe(false);
  });
});
