import { Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { invalid } from '../../private/errors';
import { GroupOptions } from '../user-directory-props';
import { constructIdFor } from './ids';

const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

/**
 * The directory's user pool groups: their names, checks, and the IAM role each one gives.
 */
export class DirectoryGroups {
  private readonly groups = new Map<string, cognito.CfnUserPoolGroup>();

  /**
   * @param scope the construct the groups are created in (the directory)
   */
  constructor(private readonly scope: Construct, private readonly userPool: cognito.IUserPool) {}

  /** The names of the groups, in the order they were added. */
  public get names(): string[] {
    return [...this.groups.keys()];
  }

  /** Checks the name and precedence, then creates the group resource. */
  public add(groupName: string, options: GroupOptions): cognito.CfnUserPoolGroup {
    if (Token.isUnresolved(groupName)) {
      invalid('groupName', groupName, 'group names must be known at synth, they name roles and construct ids', 'Pass a literal string.');
    }
    if (!GROUP_NAME.test(groupName)) {
      invalid('groupName', groupName, 'a group name is 1-128 characters without whitespace', 'Use a name such as `admins` or `editors`.');
    }
    if (this.groups.has(groupName)) {
      invalid('groupName', groupName, 'the directory already has this group', 'Add each group once; keep the value addGroup() returned.');
    }
    const precedence = options.precedence;
    if (precedence !== undefined && !Token.isUnresolved(precedence)
      && (!Number.isInteger(precedence) || precedence < 0 || precedence > 2147483647)) {
      invalid('precedence', precedence, 'must be a whole number from 0 to 2147483647', 'Use 0 for the group whose role wins over all others.');
    }
    const resource = new cognito.CfnUserPoolGroup(this.scope, `Group${constructIdFor(groupName)}`, {
      userPoolId: this.userPool.userPoolId,
      groupName,
      precedence,
      description: options.description,
    });
    this.groups.set(groupName, resource);
    return resource;
  }

  /** Makes `role` the group's IAM role; the group must exist. */
  public setRole(groupName: string, role: iam.IRole): void {
    const group = this.groups.get(groupName);
    if (group === undefined) {
      invalid('groupName', groupName, 'the directory has no such group', `Call addGroup('${groupName}') first. Known groups: ${this.names.join(', ') || 'none'}.`);
    }
    group.roleArn = role.roleArn;
  }
}
