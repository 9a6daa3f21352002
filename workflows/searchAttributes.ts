/**
 * The custom search attributes, typed (the SDK's untyped `searchAttributes` is deprecated): one key per
 * attribute registered on every Temporal server we start (config/index.ts `searchAttributes`). Workflows
 * and web services name a case's attributes through these, e.g. `caseAttributes('interview', enterpriseId)`.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

export const WARNFLOW_CASE_TYPE = defineSearchAttributeKey('WarnflowCaseType', SearchAttributeType.KEYWORD);
export const WARNFLOW_ENTERPRISE_ID = defineSearchAttributeKey('WarnflowEnterpriseId', SearchAttributeType.KEYWORD);
export const WARNFLOW_LEVEL = defineSearchAttributeKey('WarnflowLevel', SearchAttributeType.KEYWORD);

/** The attributes a case workflow starts with: its type and, when it has one, its enterprise. */
export function caseAttributes(caseType: string, enterpriseId?: string): SearchAttributePair[] {
  return [{ key: WARNFLOW_CASE_TYPE, value: caseType }, ...(enterpriseId ? [{ key: WARNFLOW_ENTERPRISE_ID, value: enterpriseId }] : [])];
}
