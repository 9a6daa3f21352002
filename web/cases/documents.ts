/**
 * Official documents (执法文书) to read: those of a case (case page, API) and those addressed to my
 * enterprise (portal), and the PDF itself — each only to whoever may see the case (jurisdiction as
 * on the case page); a download is audited. A document not yet drawn (warning notices) is drawn here.
 */
import { drawStoredDocument } from '../../lib/documentPdf';
import type { Principal } from '../../domain/access';
import { DOCUMENT_KIND_INFO } from '../../domain/documents';
import type { Models } from '../../models';
import type { OfficialDocumentDoc } from '../../models/OfficialDocument';
import { HttpError } from '../errors';
import type { AuditService } from '../access/audit';
import type { PortalService } from '../tasks/inbox';

export interface DocumentView {
  id: string;
  kind: string;
  title: string;
  titleEn: string;
  number: string;
  caseId: string;
  enterpriseId: string;
  agencyId: string;
  toName?: string;
  issuedAt: string;
  /** The PDF, under /api/v1 for API callers and at the root for pages. */
  pdf: string;
}

const view = (d: OfficialDocumentDoc): DocumentView => ({
  id: d._id,
  kind: d.kind,
  title: d.title,
  titleEn: DOCUMENT_KIND_INFO[d.kind].en,
  number: d.number,
  caseId: d.caseId,
  enterpriseId: d.enterpriseId,
  agencyId: d.agencyId,
  toName: d.toName,
  issuedAt: d.issuedAt.toISOString(),
  pdf: `/documents/${encodeURIComponent(d._id)}`,
});

export function createDocumentService(deps: {
  models: Models;
  audit: AuditService;
  portal: Pick<PortalService, 'canSeeCase'>;
  dir: string;
}) {
  const { models, audit, portal } = deps;

  /** As the case page decides; a document of a report (no case record) as the enterprise it is addressed to. */
  async function mayRead(p: Principal, caseId: string, enterpriseId?: string): Promise<boolean> {
    const rec = await models.CaseRecord.findById(caseId, {
      enterpriseId: 1,
      regionPath: 1,
      industry: 1,
      trackingAgencyId: 1,
    }).lean();
    if (rec) return portal.canSeeCase(p, rec);
    return !!enterpriseId && portal.canSeeCase(p, { enterpriseId });
  }

  return {
    /** The documents of a case, oldest first; 404 for an unknown case, 403 outside the caller's jurisdiction. */
    async forCase(p: Principal, caseId: string): Promise<DocumentView[]> {
      if (!(await models.CaseRecord.exists({ _id: caseId }))) throw new HttpError(404, `no case ${caseId}`, 'caseId');
      if (!(await mayRead(p, caseId)))
        throw new HttpError(403, `case ${caseId} is outside your jurisdiction`, 'caseId');
      const docs = await models.OfficialDocument.find({ caseId }).sort({ issuedAt: 1 }).lean<OfficialDocumentDoc[]>();
      return docs.map(view);
    },

    /** Documents addressed to my enterprise, newest first (the portal). */
    async forMyEnterprise(p: Principal, limit = 50): Promise<DocumentView[]> {
      if (p.role !== 'enterprise' || !p.enterpriseId) return [];
      const docs = await models.OfficialDocument.find({ enterpriseId: p.enterpriseId })
        .sort({ issuedAt: -1 })
        .limit(limit)
        .lean<OfficialDocumentDoc[]>();
      return docs.map(view);
    },

    /** The PDF of one document for someone who may see its case. */
    async file(p: Principal, documentId: string, ip?: string): Promise<{ path: string; filename: string }> {
      const d = await models.OfficialDocument.findById(documentId).lean<OfficialDocumentDoc>();
      if (!d) throw new HttpError(404, `no document ${documentId}`, 'documentId');
      if (!(await mayRead(p, d.caseId, d.enterpriseId))) {
        await audit.record(p.username, 'document.refused', documentId, {}, ip);
        throw new HttpError(403, `document ${d.number} belongs to a case outside your jurisdiction`, 'documentId');
      }
      // Warning notices are numbered at once and drawn by their first reader; the same facts draw the same document.
      const f = await drawStoredDocument(d, deps.dir);
      if (!d.file) await models.OfficialDocument.updateOne({ _id: d._id }, { $set: { file: f.file } });
      await audit.record(p.username, 'document.read', documentId, { number: d.number }, ip);
      return { path: f.path, filename: `${d.title}-${d.number}.pdf` };
    },
  };
}
export type DocumentService = ReturnType<typeof createDocumentService>;
