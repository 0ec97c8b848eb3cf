import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default function LoginPage() {
  return (
    <>
      <h1>Sign in</h1>
      <p className="lead">Your LesionLab account. For the command line, run <code>npx lesionlab login</code>.</p>
      <Suspense>
        <SignInForm />
      </Suspense>
    </>
  );
}
