'use client';

import { useEffect } from 'react';
import { installSessionRefresh } from '../../lib/current-user';

/** Mounted once in the root layout: /api calls renew an expired access cookie by themselves. */
export function SessionRefresh() {
  useEffect(installSessionRefresh, []);
  return null;
}
