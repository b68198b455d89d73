import { langchainHnswlib } from "./hnswlib.js";
import { lunrSearch } from "./lunr.js";
import { miniSearch } from "./minisearch.js";
import { sanad } from "./sanad.js";
import type { PeerSystem } from "./system.js";

/** Every system compared, Sanad last; the libraries are the ones a developer would pick instead. */
export const PEER_SYSTEMS: readonly PeerSystem[] = [miniSearch, lunrSearch, langchainHnswlib, sanad];

/** The system with this name; throws naming the systems there are. */
export function peerSystem(name: string): PeerSystem {
  const system = PEER_SYSTEMS.find((candidate) => candidate.name === name);
  if (!system)
    throw new Error(`no system "${name}": use one of ${PEER_SYSTEMS.map((s) => s.name).join(", ")}`);
  return system;
}
