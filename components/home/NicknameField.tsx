'use client';

import { useEffect } from 'react';
import { MAX_NICKNAME_CHARS } from '@/lib/protocol';
import { randomNickname } from '@/lib/nickname';
import { TextField } from '../ui/TextField';
import { useNickname } from '../useNickname';

/** The player's nickname, kept in the browser; a friendly random one is offered on the first visit. */
export function NicknameField() {
  const [nickname, setNickname] = useNickname();

  useEffect(() => {
    if (!nickname) setNickname(randomNickname());
    // Only on first mount: an emptied field stays empty while the player types.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <TextField
      label="Your nickname"
      name="nickname"
      value={nickname}
      maxLength={MAX_NICKNAME_CHARS}
      autoComplete="nickname"
      onChange={(e) => setNickname(e.target.value)}
      hint="Others see this name. It is kept in this browser."
      required
    />
  );
}
