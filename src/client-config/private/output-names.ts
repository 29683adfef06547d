/*
 * How the configuration is laid out in stack Outputs. Shared by the ClientConfig construct and
 * the `cdk-federated-access client-config` command, so it must not import aws-cdk-lib: the
 * command runs on plain Node.
 */

/** The default name of the Output that holds the configuration (its first part). */
export const DEFAULT_OUTPUT_NAME = 'AmplifyOutputs';

/**
 * The largest number of characters one Output value holds. CloudFormation's quotas page lists no
 * size for an Output value; 4,096 is the size it documents for a parameter value and for an output
 * description, and keeps each part readable in the console.
 */
export const MAX_PART_LENGTH = 4096;

/** A template holds at most 200 Outputs; the configuration never takes more than this many. */
export const MAX_PARTS = 100;

/** The Output name of part `index` (0-based): `AmplifyOutputs`, `AmplifyOutputs2`, `AmplifyOutputs3`... */
export function partName(outputName: string, index: number): string {
  return index === 0 ? outputName : `${outputName}${index + 1}`;
}

/** Output names: letters and digits (CloudFormation logical ids), leaving room for a part number. */
export const OUTPUT_NAME = /^[A-Za-z][A-Za-z0-9]{0,250}$/;
