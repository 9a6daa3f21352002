/**
 * Bookkeeping activities (context reads, case records, tasks, in-app notifications, notice numbers) run as
 * local activities: short database writes inside the workflow task instead of one Temporal server round
 * trip each. The server was the busiest process in alarm and warning storms (bench/alarmLatency.ts,
 * bench/warnings.ts), so fewer round trips open more cases a second. Mail and webhook posts leave the
 * system and stay ordinary activities, retried on their own schedule. Each workflow switches behind a patch.
 */
import { ActivityFailure, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { LOCAL_BOOKKEEPING } from './activityOptions';

export const localBookkeeping = proxyLocalActivities<Activities>(LOCAL_BOOKKEEPING);

/** What a failed delivery says on a timeline: the activity's own message (an SMTP reply, a robot's errcode). */
export const failureMessage = (err: unknown): string =>
  err instanceof ActivityFailure && err.cause ? err.cause.message : ((err as Error)?.message ?? String(err));
