// Registers longbox:// with Electron. The parsing and the answers live in protocol-url.ts (pure,
// unit-tested); this file only does the two Electron calls.
import { protocol } from 'electron';
import { COVER_PROTOCOL } from '../shared/ipc.js';
import { handleLongboxRequest, type ProtocolDeps } from './protocol-url.js';

/** Must run before app 'ready'. standard: real origins and relative URLs; secure: like https. */
export function registerLongboxScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: COVER_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** After 'ready': answers longbox://app, longbox://cover and longbox://page for the default session. */
export function handleLongboxProtocol(deps: ProtocolDeps): void {
  protocol.handle(COVER_PROTOCOL, (request) => handleLongboxRequest({ url: request.url, method: request.method }, deps));
}
