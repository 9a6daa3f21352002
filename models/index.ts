/** All models bound to one connection, so each test file can use its own database. */
import mongoose, { Connection } from 'mongoose';
import { caseRecordModel } from './CaseRecord';
import { deliveryModel } from './Delivery';
import { agencyModel, deviceModel, enterpriseModel, regionModel, videoChannelModel } from './masterData';
import { apiTokenModel, dataKeyModel, userModel } from './access';
import { taskModel } from './Task';
import { auditEntryModel } from './AuditEntry';
import { deviceDayStatModel } from './DeviceDayStat';
import { readingBucketModel } from './ReadingBucket';
import { deviceLivenessModel, latestValueModel } from './LatestValue';
import { suspensionRequestModel } from './SuspensionRequest';
import { sessionModel } from './Session';
import { cleaningCheckInModel } from './CleaningCheckIn';
import { alarmPolicyModel } from './AlarmPolicy';
import { offlinePolicyModel } from './OfflinePolicy';
import { escalationPolicyModel } from './EscalationPolicy';
import { documentCounterModel, officialDocumentModel } from './OfficialDocument';
import { reportRulesModel } from './ReportRules';
import { enforcementPolicyModel } from './EnforcementPolicy';
import { reportModel } from './Report';
import { keyEnforcementTargetModel } from './KeyEnforcementTarget';
import { notificationModel } from './Notification';
import { cleaningPlanModel } from './CleaningPlan';
import { deviceSettingsChangeModel } from './DeviceSettingsChange';
import { permitModel, permitPolicyModel } from './Permit';
import { riskRulesModel } from './RiskRules';
import { riskComputationModel } from './RiskComputation';

export function createModels(conn: Connection) {
  return {
    CaseRecord: caseRecordModel(conn),
    Delivery: deliveryModel(conn),
    Region: regionModel(conn),
    Agency: agencyModel(conn),
    Enterprise: enterpriseModel(conn),
    Device: deviceModel(conn),
    DeviceSettingsChange: deviceSettingsChangeModel(conn),
    VideoChannel: videoChannelModel(conn),
    User: userModel(conn),
    ApiToken: apiTokenModel(conn),
    DataKey: dataKeyModel(conn),
    Task: taskModel(conn),
    AuditEntry: auditEntryModel(conn),
    DeviceDayStat: deviceDayStatModel(conn),
    ReadingBucket: readingBucketModel(conn),
    LatestValue: latestValueModel(conn),
    DeviceLiveness: deviceLivenessModel(conn),
    SuspensionRequest: suspensionRequestModel(conn),
    Session: sessionModel(conn),
    CleaningCheckIn: cleaningCheckInModel(conn),
    AlarmPolicy: alarmPolicyModel(conn),
    OfflinePolicy: offlinePolicyModel(conn),
    EscalationPolicy: escalationPolicyModel(conn),
    OfficialDocument: officialDocumentModel(conn),
    DocumentCounter: documentCounterModel(conn),
    ReportRules: reportRulesModel(conn),
    EnforcementPolicy: enforcementPolicyModel(conn),
    Report: reportModel(conn),
    KeyEnforcementTarget: keyEnforcementTargetModel(conn),
    Notification: notificationModel(conn),
    CleaningPlan: cleaningPlanModel(conn),
    Permit: permitModel(conn),
    PermitPolicy: permitPolicyModel(conn),
    RiskRules: riskRulesModel(conn),
    RiskComputation: riskComputationModel(conn),
  };
}
export type Models = ReturnType<typeof createModels>;

/** Connects, fails fast when the server is absent, and builds the declared indexes. */
export async function connectDatabase(
  uri: string,
  opts: { dbName?: string; serverSelectionTimeoutMS?: number } = {},
): Promise<{ conn: Connection; models: Models }> {
  const conn = mongoose.createConnection(uri, {
    dbName: opts.dbName,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 10000,
    autoIndex: false,
  });
  await conn.asPromise();
  const models = createModels(conn);
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
  return { conn, models };
}
