import { describe, expect, it } from 'vitest';
import { addressKey } from '../../server/socket/clientIp';

describe('addressKey: what per-address budgets count under', () => {
  it('keeps IPv4 as is and folds IPv4-mapped IPv6 into it', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('keys IPv6 by its /64, however the address is written', () => {
    const key = addressKey('2001:db8:0:1::1');
    expect(addressKey('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe(key);
    expect(addressKey('2001:db8:0:1:abcd::9%eth0')).toBe(key);
    expect(addressKey('2001:db8:0:2::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
