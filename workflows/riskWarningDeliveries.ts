/**
 * How a risk warning tells people and records what it did: the mail of a step, the in-app notification and
 * chat-robot post beside it, the municipal feed of a red warning, and timeline entries. Under
 * DELIVERIES_NEVER_STALL a delivery goes out beside the clock and a failure becomes a `delivery_failed`
 * entry; older runs await each delivery in turn.
 */
import { patched } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { UpdateCaseInput } from '../activities/caseRecords';
import type { Party } from '../activities/directory';
import { failureMessage } from './bookkeeping';
import { PATCHES } from './patches';
import { WarningRun, act, deliveries, now, party } from './riskWarningRun';

/**
 * Beside each mail: the in-app notification for the party (its agency's or enterprise's users see it)
 * and, for an agency with a chat robot, a text to its webhook. Keyed like the mail: case + step + party.
 */
export async function alsoTell(
  run: WarningRun,
  p: Party,
  key: string,
  kind: string,
  title: string,
  text: string,
  inApp = true,
): Promise<void> {
  const { caseId } = run;
  if (inApp && patched(PATCHES.riskWarning.inAppNotifications))
    await run.book.notifyInApp({ key, caseId, recipient: { kind: p.kind, id: p.id }, kind, title });
  if (p.kind === 'agency' && p.hasWebhook && patched(PATCHES.riskWarning.agencyWebhook)) {
    const post = {
      key: `${key}/webhook`,
      caseId,
      agencyId: p.id,
      content: `${title}\n${text}\n案件 case: ${caseId}${run.input.publicUrl ? `\n${run.input.publicUrl}/cases/${encodeURIComponent(caseId)}` : ''}`,
    };
    if (run.neverStall) deliver(run, 'webhook', post.key, [p.id], () => deliveries.postWebhook(post));
    else await act.postWebhook(post).catch((err: unknown) => recordRefusal(run, 'webhook', post.key, [p.id], err));
  }
}

/** A mail of a step: beside the clock under DELIVERIES_NEVER_STALL, else awaited in turn as before. */
export async function mail(run: WarningRun, mailInput: Parameters<Activities['sendMail']>[0]): Promise<void> {
  // A refusal for good comes back as a failure: recorded on the timeline, the case goes on.
  const m = { ...mailInput, failWhenRefused: true };
  if (run.neverStall) deliver(run, 'email', m.key, m.to, () => deliveries.sendMail(m));
  else await act.sendMail(m).catch((err: unknown) => recordRefusal(run, 'email', m.key, m.to, err));
}

/**
 * A run from before DELIVERIES_NEVER_STALL awaits each delivery with unbounded retries; one refused for good
 * now fails at once (non-retryable) and is recorded instead of failing the warning (a path its history never took).
 */
async function recordRefusal(
  run: WarningRun,
  channel: 'email' | 'webhook',
  key: string,
  to: string[],
  err: unknown,
): Promise<void> {
  await run.book.updateCase({
    caseId: run.caseId,
    entry: {
      key: `delivery_failed/${key}`,
      at: now(),
      kind: 'delivery_failed',
      actor: 'system',
      recipients: to,
      detail: `${channel}: ${failureMessage(err)}`,
    },
  });
}

/**
 * Starts a delivery beside the clock: a refusal for good, or a failure after its bounded retries, becomes a
 * `delivery_failed` timeline entry (and stays in the outbox); recipients a mail server refused among others too.
 */
function deliver(
  run: WarningRun,
  channel: 'email' | 'webhook' | 'feed',
  key: string,
  to: string[],
  send: () => Promise<unknown>,
): void {
  const record = (recipients: string[], detail: string) =>
    run.book.updateCase({
      caseId: run.caseId,
      entry: {
        key: `delivery_failed/${key}`,
        at: now(),
        kind: 'delivery_failed',
        actor: 'system',
        recipients,
        detail: `${channel}: ${detail}`,
      },
    });
  run.delivery.inFlight++;
  // Not awaited: the step goes on; the outcome lands on the timeline when it comes.
  void send()
    .then((r) => {
      const rejected = (r as { rejected?: string[] } | undefined)?.rejected;
      return rejected?.length ? record(rejected, `refused ${rejected.join(', ')}`) : undefined;
    })
    .catch((err: unknown) => record(to, failureMessage(err)))
    .catch(() => undefined)
    .finally(() => run.delivery.inFlight--);
}

/** Once red, the case and each change of it go to the municipal system's real-time feed (MUNICIPAL_FEED). */
export function feedCity(run: WarningRun, entry: NonNullable<UpdateCaseInput['entry']>): void {
  if (!run.cityFeed || entry.kind === 'delivery_failed') return;
  if (run.level === 'red') run.delivery.fedToCity = true;
  if (!run.delivery.fedToCity) return;
  const { caseId, ctx, state, policy, level } = run;
  const sequence = ++run.delivery.feedSequence;
  const key = `${caseId}/feed/${sequence}`;
  const payload = {
    caseId,
    enterpriseId: ctx.enterpriseId,
    enterpriseName: ctx.enterpriseName,
    regionPath: ctx.regionPath,
    industry: ctx.industry,
    level,
    status: state.status,
    openedAt: run.openedAt,
    since: state.since,
    policyVersion: policy.version,
    citation: policy.levels[level].citation,
    noticeNumber: run.notice.number,
    deadlines: state.deadlines,
    emergency: state.emergency,
    entry: { kind: entry.kind, at: entry.at, actor: entry.actor, detail: entry.detail },
  };
  deliver(run, 'feed', key, [party(run, 'municipal_bureau')?.id ?? 'municipal'], () =>
    deliveries.pushMunicipalFeed({ key, caseId, event: entry.kind, sequence, payload }),
  );
}

/** A timeline entry, then (a red warning) the same change to the municipal feed. */
export async function record(run: WarningRun, u: UpdateCaseInput): Promise<void> {
  await run.book.updateCase(u);
  if (u.entry) feedCity(run, u.entry);
}

/** Activities scheduled by a run that has ended are never started: the last deliveries go out first (a minute at most). */
export function deliveriesSettled(run: WarningRun): boolean {
  return run.delivery.inFlight === 0;
}
