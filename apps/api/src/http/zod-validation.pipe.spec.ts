import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from './zod-validation.pipe';

describe('ZodValidationPipe', () => {
  const pipe = new ZodValidationPipe(z.object({ limit: z.coerce.number().int().max(500), supervision: z.enum(['pixel', 'none']).optional() }));

  it('returns the parsed value', () => {
    expect(pipe.transform({ limit: '20' })).toEqual({ limit: 20 });
  });

  it('names every bad field in a 400', () => {
    try {
      pipe.transform({ limit: '9999', supervision: 'pixels' });
      throw new Error('expected a BadRequestException');
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      const body = (error as BadRequestException).getResponse() as { message: string; errors: string[] };
      expect(body.errors).toHaveLength(2);
      expect(body.message).toMatch(/^limit: .*; supervision: /);
    }
  });
});
