/**
 * PublicNotice (公开通报) issued by a regulator: 002 第二十五条 — destroying or switching off collection devices,
 * unexplained power or network cuts, going offline (情节严重) are investigated and publicly notified. A short
 * workflow on the case the breach was found on (its id `<case id>/public-notice/<instant>`): the numbered
 * `public_notice` document through the document engine, the mail to the enterprise and the agencies with the PDF
 * (as the offline case's automatic notice is delivered), and the timeline entry on that case, attributed to the
 * regulator. Each step is keyed by the notice, so a retry issues no second number and sends no second mail.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { boundedCaseStep, caseStep, DELIVERY } from './activityOptions';
import { failureMessage } from './bookkeeping';

export interface PublicNoticeInput {
  /** The case the breach was found on: the document is listed there and its timeline records the notice. */
  caseId: string;
  enterpriseId: string;
  /** The issuing agency (the regulator's own). */
  agencyId: string;
  /** The breach in the article's words (SERIOUS_BREACH_ZH) and what was found. */
  breachZh: string;
  reason: string;
  /** The regulator who issued it (the timeline's actor). */
  issuedBy: string;
  issuedAt: string;
}

export interface PublicNoticeResult {
  documentId: string;
  number: string;
}

const act = proxyActivities<Activities>(caseStep('1 minute'));
const bookkeeping = proxyActivities<Activities>(boundedCaseStep('30 seconds'));
const delivery = proxyActivities<Activities>(DELIVERY);

export async function publicNotice(input: PublicNoticeInput): Promise<PublicNoticeResult> {
  const step = workflowInfo().workflowId.slice(input.caseId.length + 1); // public-notice/<instant>
  const ctx = await act.enterpriseContext({ enterpriseId: input.enterpriseId });
  const doc = await act.issueDocument({
    caseId: input.caseId,
    step,
    kind: 'public_notice',
    agencyId: input.agencyId,
    enterpriseId: input.enterpriseId,
    toRole: 'public',
    toName: '社会公众',
    issuedAt: input.issuedAt,
    facts: { caseId: input.caseId, breachZh: input.breachZh, facts: input.reason },
  });
  const agencies = Object.values(ctx.agencies).filter((a): a is NonNullable<typeof a> => !!a);
  const issuer = agencies.find((a) => a.id === input.agencyId);
  const to = [...new Set([...ctx.emails, ...agencies.flatMap((a) => a.emails)])];
  let failed: string | undefined;
  if (to.length) {
    try {
      await delivery.sendMail({
        key: `${input.caseId}/${step}`,
        caseId: input.caseId,
        to,
        template: 'official-document',
        data: {
          caseId: input.caseId,
          enterpriseName: ctx.enterpriseName,
          agencyName: issuer?.name ?? input.agencyId,
          title: doc.title,
          number: doc.number,
        },
        attachments: [{ filename: doc.filename, path: doc.path }],
      });
    } catch (err) {
      failed = failureMessage(err);
    }
  }
  await bookkeeping.updateCase({
    caseId: input.caseId,
    entry: {
      key: step,
      at: input.issuedAt,
      kind: 'public_notice',
      actor: input.issuedBy,
      recipients: [input.enterpriseId, ...to],
      detail: `${doc.title} ${doc.number}`,
    },
  });
  if (failed)
    await bookkeeping.updateCase({
      caseId: input.caseId,
      entry: {
        key: `${step}/delivery_failed`,
        at: input.issuedAt,
        kind: 'delivery_failed',
        actor: 'system',
        detail: `${doc.title} ${doc.number}: ${failed}`,
      },
    });
  return { documentId: doc.documentId, number: doc.number };
}
