/**
 * The shape of one benchmark scenario: how many groups (each with its own role) and buckets.
 */
export interface ScenarioSize {
  /** Cognito groups, each with its own IAM role. */
  readonly groups: number;
  /** Buckets carrying the Amplify-style private / protected / public rules. */
  readonly buckets: number;
  /** Import the buckets by name instead of creating them (scaling runs). */
  readonly importBuckets: boolean;
  /** Give each group its own folder `groups/group{i}/*` (read, write, delete) in the first bucket. */
  readonly groupFolders?: boolean;
}

/** Scenario S1: 3 groups, one created bucket. */
export const S1: ScenarioSize = { groups: 3, buckets: 1, importBuckets: false };
