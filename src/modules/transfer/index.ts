export {
  createTransferService,
  mayRunTransfers,
  reasons,
  type TransferService,
  type TransferStaff,
  type Campaign,
  type DraftInput,
  type Reason,
} from './transfer.service.ts';
export { campaignLifecycle, type CampaignState } from './transfer.lifecycle.ts';
export { transferErrors } from './transfer.errors.ts';
export { transferData } from './transfer.data.ts';
