import { Body, ConflictException, Controller, Get, Param, ParseUUIDPipe, Patch, Post, HttpCode } from '@nestjs/common';
import { z } from 'zod';
import { changeUserSchema, newUserSchema } from '@lesionlab/contracts';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { AuthService } from './auth.service';
import { UsersRepository, type UserRow } from './users.repository';

function toUser(row: UserRow) {
  return { id: row.id, email: row.email, role: row.role, disabled: row.disabled_at !== null, createdAt: row.created_at };
}

/** Admins manage accounts. A user without a password signs in with API tokens only (automation). */
@Controller('users')
export class UsersController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
  ) {}

  @Get()
  async list() {
    return { items: (await this.users.list()).map(toUser) };
  }

  @Post()
  @HttpCode(201)
  async create(@Body(new ZodValidationPipe(newUserSchema)) body: z.infer<typeof newUserSchema>) {
    const user = await this.auth.createUser(body.email, body.role, body.password);
    if (!user) throw new ConflictException(`A user ${body.email} exists already`);
    return toUser(user);
  }

  @Patch(':id')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body(new ZodValidationPipe(changeUserSchema)) body: z.infer<typeof changeUserSchema>) {
    return toUser(await this.auth.changeUser(id, body));
  }
}
