import type { Metadata } from 'next';
import { UserAdmin } from '../../components/users/user-admin';

export const metadata: Metadata = { title: 'Users' };

export default function UsersPage() {
  return (
    <>
      <h1>Users</h1>
      <p className="lead">
        Add colleagues with the role their job needs, change roles, disable an account (its sign-ins and API tokens stop working on their next request) and
        reset passwords.
      </p>
      <UserAdmin />
    </>
  );
}
