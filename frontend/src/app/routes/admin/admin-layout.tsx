import { Outlet } from 'react-router';

import { AdminNav } from '@/features/admin';

export function AdminLayout() {
  return (
    <div className="page admin">
      <p className="admin__eyebrow">Back office</p>
      <AdminNav />
      <Outlet />
    </div>
  );
}
