# Rotas are not in the Django admin (issue 29): a rota is a workflow record (checked, generated, published) kept on
# medlead's pages under the policy (``Perm.MANAGE_ROTAS``); exception reports are confidential and never were here.
