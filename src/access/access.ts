/**
 * What an audience may do under a path.
 *
 * For a bucket: `GET` downloads objects, `LIST` lists keys under the path (and only under
 * it), `WRITE` uploads objects (including multipart uploads), `DELETE` deletes them.
 * `READ` is `GET` plus `LIST`.
 */
export enum Access {
  /**
   * Read: `GET` and `LIST` together.
   */
  READ = 'READ',

  /**
   * Download objects (`s3:GetObject`).
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
   */
  GET = 'GET',

  /**
   * List the keys under the path (`s3:ListBucket` limited by an `s3:prefix` condition).
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
   */
  LIST = 'LIST',

  /**
   * Upload objects, in one request or as a multipart upload
   * (`s3:PutObject`, `s3:AbortMultipartUpload`, `s3:ListMultipartUploadParts`).
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
   */
  WRITE = 'WRITE',

  /**
   * Delete objects (`s3:DeleteObject`; in a versioned bucket this adds a delete marker and
   * keeps the older versions).
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
   */
  DELETE = 'DELETE',
}
