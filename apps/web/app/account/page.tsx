import type { Metadata } from 'next';
import { AccountView } from '../../components/account/account-view';

export const metadata: Metadata = { title: 'Account' };

export default function AccountPage() {
  return (
    <>
      <h1>Account</h1>
      <p className="lead">Who you are signed in as, and your API tokens for the command line and automation.</p>
      <AccountView />
    </>
  );
}
