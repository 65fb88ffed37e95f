/** The marketing domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { runAutomations } from "./automation-runner";
export {
  automationKindInput,
  automationLog,
  automationLogInput,
  automationPreviewInput,
  automationSetEnabledInput,
  automationUpdateInput,
  listAutomations,
  previewAutomationMessage,
  requestAutomationRun,
  setAutomationEnabled,
  updateAutomation,
} from "./automations";
export {
  type CampaignSender,
  failCampaign,
  resumeStalledCampaigns,
  runCampaignSend,
} from "./campaign-send";
export {
  campaignCreateInput,
  campaignIdInput,
  campaignPreviewInput,
  campaignProgress,
  campaignScheduleInput,
  campaignTestSendInput,
  campaignUpdateInput,
  cancelCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
  previewCampaign,
  scheduleCampaign,
  sendCampaignNow,
  sendCampaignTest,
  updateCampaign,
} from "./campaigns";
export { exportMarketingListCsv } from "./marketing-export";
export {
  createSegment,
  deleteSegment,
  duplicateSegment,
  getSegment,
  listSegments,
  marketingList,
  marketingListInput,
  segmentCount,
  segmentCreateInput,
  segmentFilter,
  segmentIdInput,
  segmentPreview,
  segmentPreviewInput,
  segmentUpdateInput,
  updateSegment,
} from "./segments";
