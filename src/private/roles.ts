import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/*
 * Roles are recognised by what names them in IAM (DESIGN.md: "pool roles are recognised by ARN,
 * not by object"): `Role.fromRoleArn(scope, id, pool.authenticatedRole.roleArn)` is the
 * authenticated role, though it is another object.
 */

/** The partition, account and name in a literal IAM role ARN (`arn:<partition>:iam::<account>:role/<path/>name`). */
export function literalRoleParts(arn: string): { partition: string; account: string; name: string } | undefined {
  if (Token.isUnresolved(arn)) {
    return undefined;
  }
  const match = /^arn:([^:]+):iam::(\d{12}):role\/(?:[^/]*\/)*([^/]+)$/.exec(arn);
  return match ? { partition: match[1], account: match[2], name: match[3] } : undefined;
}

/**
 * Whether two IAM role names are one name. IAM does not distinguish names by case: "IAM user,
 * group, role, and policy names must be unique within the account. Names are not distinguished by
 * case" (CreateRole, RoleName), so `App-Auth` is the role `app-auth`.
 */
export function sameRoleName(a: string, b: string): boolean {
  return a === b || (!Token.isUnresolved(a) && !Token.isUnresolved(b) && a.toLowerCase() === b.toLowerCase());
}

/** The account a role lives in, when known at synth (from the resource's env, else its literal ARN). */
export function accountOf(role: iam.IRole): string | undefined {
  const account = (role as Partial<iam.Role>).env?.account ?? role.principalAccount;
  if (account !== undefined && !Token.isUnresolved(account)) {
    return account;
  }
  return literalRoleParts(role.roleArn)?.account;
}

/**
 * Whether two roles are one IAM role: the same object, the same ARN (the same deploy-time value
 * or literal), or the same name (IAM names ignore case) in an account that is not provably
 * another (IAM role names are unique per account, whatever the path; attaching by name reaches
 * that role). Literal ARNs of two partitions are two roles (each partition has its own accounts).
 */
export function sameRole(a: iam.IRole, b: iam.IRole): boolean {
  if (a === b || a.roleArn === b.roleArn) {
    return true;
  }
  const nameA = Token.isUnresolved(a.roleName) ? a.roleName : (literalRoleParts(a.roleArn)?.name ?? a.roleName);
  const nameB = Token.isUnresolved(b.roleName) ? b.roleName : (literalRoleParts(b.roleArn)?.name ?? b.roleName);
  if (!sameRoleName(nameA, nameB)) {
    return false;
  }
  const partitionA = literalRoleParts(a.roleArn)?.partition;
  const partitionB = literalRoleParts(b.roleArn)?.partition;
  if (partitionA !== undefined && partitionB !== undefined && partitionA !== partitionB) {
    return false;
  }
  const accountA = accountOf(a);
  const accountB = accountOf(b);
  return accountA === undefined || accountB === undefined || accountA === accountB;
}
