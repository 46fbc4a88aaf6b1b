import { defineErrors } from '../kernel/errors.ts';

/** Refusals of department back-end APIs called with a client-credentials access token. */
export const departmentApiErrors = defineErrors('department_api', {
  invalid_token: {
    status: 401,
    title: {
      en: 'A valid client-credentials access token is required (Authorization: Bearer)',
      'zh-CN': '需要有效的客户端凭证访问令牌（Authorization: Bearer）',
      cs: 'Je vyžadován platný přístupový token client credentials (Authorization: Bearer)',
    },
  },
  insufficient_scope: {
    status: 403,
    title: {
      en: 'The access token was not issued for the department API (scope department-api)',
      'zh-CN': '该访问令牌不是为部门接口签发的（scope department-api）',
      cs: 'Přístupový token nebyl vydán pro rozhraní úřadů (scope department-api)',
    },
  },
});
