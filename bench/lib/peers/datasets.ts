import path from "node:path";
import {
  loadSquadEvalSet,
  type EvalQuestion,
  type EvalSet,
  type SquadLoadOptions,
} from "../../../src/eval/index.js";

/** A QA set the systems are compared on. */
export interface PeerSet {
  /** Short name, used on the command line of the build child. */
  readonly key: string;
  readonly label: string;
  /** Relative to the repository root. */
  readonly file: string;
  readonly options: SquadLoadOptions;
}

/**
 * The sets, as `npm run eval -- --all` reports them without hold-out: the data Sanad's fitted models
 * (`npm run fit`) never saw. ARCD's test split; TyDi QA's half B of the questions, over all its paragraphs.
 */
export const PEER_SETS: readonly PeerSet[] = [
  { key: "arcd", label: "ARCD, test split", file: "tests/datasets/arcd/arcd-test.json", options: {} },
  {
    key: "tydi",
    label: "TyDi QA Arabic dev, half B",
    file: "tests/datasets/tydiqa/tydiqa-goldp-v1.1-dev-arabic.json",
    options: { half: "B" },
  },
];

/** Loads a set with the eval harness's loader (its paragraphs, questions and gold sentences). */
export function loadPeerSet(root: string, set: PeerSet): Promise<EvalSet> {
  return loadSquadEvalSet(path.join(root, set.file), set.options);
}

/** The set with this key; throws naming the keys there are. */
export function peerSet(key: string): PeerSet {
  const set = PEER_SETS.find((candidate) => candidate.key === key);
  if (!set) throw new Error(`no set "${key}": use one of ${PEER_SETS.map((s) => s.key).join(", ")}`);
  return set;
}

/**
 * The answerable questions asked: all of them, or `limit` spread evenly over the set (the sets are in
 * article order, so the first few hundred would be a few articles only).
 */
export function questionsAsked(set: EvalSet, limit?: number): EvalQuestion[] {
  const answerable = set.questions.filter((question) => question.gold.length > 0);
  if (limit === undefined || limit >= answerable.length) return answerable;
  return Array.from(
    { length: limit },
    (_, i) => answerable[Math.floor((i * answerable.length) / limit)] as EvalQuestion,
  );
}
