/** Dashboard: warnings by level and region now, alarm trend, open cases by age, connection and online rates — within jurisdiction. */
import { enterpriseFilter, Principal } from '../../domain/access';
import { LEVELS } from '../../domain/cases';
import { ACTIVE_PERMIT_STATUSES } from '../../domain/permits';
import { beijingDay, beijingDayStart, DAY_MS } from '../../domain/time';
import type { Models } from '../../models';

export function createDashboardService(deps: { models: Models; now?: () => number }) {
  const { models } = deps;
  const now = deps.now ?? Date.now;
  return {
    async overview(p: Principal) {
      const scope =
        p.role === 'admin'
          ? {}
          : p.role === 'regulator'
            ? { regionPath: p.scope?.regionId ?? '\u0000none' }
            : { enterpriseId: p.enterpriseId ?? '\u0000none' };
      const t = now();
      const [warnings, alarms, open, enterprises] = await Promise.all([
        models.CaseRecord.find({ ...scope, type: 'risk_warning', status: 'open' }, { level: 1, regionPath: 1 })
          .limit(20000)
          .lean(),
        models.CaseRecord.find(
          { ...scope, type: 'monitoring_alarm', openedAt: { $gte: new Date(beijingDayStart(t - 6 * DAY_MS)) } },
          { openedAt: 1 },
        )
          .limit(20000)
          .lean(),
        models.CaseRecord.find({ ...scope, status: 'open' }, { openedAt: 1 })
          .limit(20000)
          .lean(),
        models.Enterprise.find(enterpriseFilter(p), { shouldConnect: 1, connected: 1 }).limit(20000).lean(),
      ]);
      const byLevel = LEVELS.map((level) => ({ level, count: warnings.filter((w) => w.level === level).length }));
      const regionCounts = new Map<string, number>();
      for (const w of warnings) {
        const r = w.regionPath?.[w.regionPath.length - 1] ?? '-';
        regionCounts.set(r, (regionCounts.get(r) ?? 0) + 1);
      }
      // Beijing days (Asia/Shanghai), the calendar a regulator lives in: an alarm at 01:00 there is that day's.
      const days = Array.from({ length: 7 }, (_, i) => beijingDay(t - (6 - i) * DAY_MS)).map((day) => ({
        day,
        count: alarms.filter((a) => beijingDay(a.openedAt.getTime()) === day).length,
      }));
      const ages = [
        { label: '< 1d', max: 1 },
        { label: '1–7d', max: 7 },
        { label: '7–30d', max: 30 },
        { label: '≥ 30d', max: Infinity },
      ].map((b, i, all) => ({
        label: b.label,
        count: open.filter((c) => {
          const d = (t - c.openedAt.getTime()) / DAY_MS;
          return d < b.max && (i === 0 || d >= all[i - 1].max);
        }).length,
      }));
      const should = enterprises.filter((e) => e.shouldConnect).length;
      const connected = enterprises.filter((e) => e.shouldConnect && e.connected).length;
      const liveness = await models.DeviceLiveness.find(
        p.role === 'enterprise'
          ? { enterpriseId: p.enterpriseId }
          : { enterpriseId: { $in: enterprises.slice(0, 5000).map((e) => e._id) } },
        { offline: 1 },
      )
        .limit(50000)
        .lean();
      const online = liveness.filter((l) => !l.offline).length;
      // Special-work permits live on site (issued to awaiting acceptance); by type and level on /permits.
      const permitsActive = await models.Permit.countDocuments({ ...scope, status: { $in: ACTIVE_PERMIT_STATUSES } });
      return {
        byLevel,
        byRegion: [...regionCounts].map(([region, count]) => ({ region, count })).sort((a, b) => b.count - a.count),
        alarmTrend: days,
        openByAge: ages,
        connectionRate: should ? Math.round((connected / should) * 1000) / 10 : undefined,
        onlineRate: liveness.length ? Math.round((online / liveness.length) * 1000) / 10 : undefined,
        enterprises: enterprises.length,
        permitsActive,
      };
    },
  };
}
export type DashboardService = ReturnType<typeof createDashboardService>;
