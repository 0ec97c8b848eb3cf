import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Navigation } from '../components/navigation';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'LesionLab', template: '%s · LesionLab' },
  description: 'Chest-CT lesion annotation, releases and JCS training',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <div className="shell">
          <Navigation />
          <main>{children}</main>
        </div>
      </body>
    </html>
  );
}
