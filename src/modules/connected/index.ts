export {
  createConnectedService,
  type ConnectedService,
  type Connected,
  type ServiceGrant,
  type ServiceGrants,
  type Disconnected,
} from './connected.service.ts';
export { connectedErrors } from './connected.errors.ts';
export { connectedData } from './connected.data.ts';
