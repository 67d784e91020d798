import type { ContractCheck } from '../contract-session.js';
import { accountChecks } from './accounts.js';
import { authenticationChecks } from './authentication.js';
import { rockChecks } from './rocks.js';
import { serviceChecks } from './service.js';

/** Every check, in the order they run. */
export const contractChecks: ContractCheck[] = [...serviceChecks, ...authenticationChecks, ...accountChecks, ...rockChecks];
