/**
 * Table printers of rbac.authorization.k8s.io/v1 kinds. RoleBinding and
 * ClusterRoleBinding have upstream v1.32's columns (pkg/printers/internalversion/
 * printers.go: printRoleBinding, printClusterRoleBinding, rbac.SubjectsStrings); Role
 * and ClusterRole have no printer upstream and print with the apiserver's default
 * table convertor (NAME, CREATED AT).
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, createdAt, createdAtColumns, nameColumn, type AnyObject } from './core-printers.js';

export const rolePrinter: TablePrinter = { columns: createdAtColumns, cells: (obj) => [obj.metadata.name, createdAt(obj)] };
export const clusterRolePrinter: TablePrinter = { columns: createdAtColumns, cells: (obj) => [obj.metadata.name, createdAt(obj)] };

type Subject = { kind?: string; name?: string; namespace?: string };

function bindingPrinter(what: string): TablePrinter {
  return {
    columns: [
      nameColumn, col('Role', 'string', 0, '', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'), ageColumn,
      col('Users', 'string', 1, '', `Users in the ${what}`), col('Groups', 'string', 1, '', `Groups in the ${what}`), col('ServiceAccounts', 'string', 1, '', `ServiceAccounts in the ${what}`),
    ],
    cells(obj, now) {
      const b = obj as AnyObject;
      const subjects: Subject[] = b.subjects ?? [];
      const users = subjects.filter((s) => s.kind === 'User').map((s) => s.name ?? '');
      const groups = subjects.filter((s) => s.kind === 'Group').map((s) => s.name ?? '');
      const sas = subjects.filter((s) => s.kind === 'ServiceAccount').map((s) => `${s.namespace ?? ''}/${s.name ?? ''}`);
      return [b.metadata.name, `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, age(b, now), users.join(', '), groups.join(', '), sas.join(', ')];
    },
  };
}

export const roleBindingPrinter: TablePrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter: TablePrinter = bindingPrinter('clusterRoleBinding');
