import { Module } from '@nestjs/common';
import { AuditController } from '../audit/audit.controller';
import { AuditRepository } from '../audit/audit.repository';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { FirstAdmin } from './first-admin';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

/** Users, sign-in, API tokens and the audit log. The guard and the audit interceptor are installed by createApp. */
@Module({
  controllers: [AuthController, UsersController, AuditController],
  providers: [AuthService, UsersRepository, FirstAdmin, AuditRepository],
  exports: [AuthService, FirstAdmin, AuditRepository],
})
export class AuthModule {}
