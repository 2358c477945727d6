'use client';

import { useEffect } from 'react';
import { MAX_NICKNAME_CHARS } from '@/lib/protocol';
import { randomNickname } from '@/lib/nickname';
import { TextField } from '../ui/TextField';
import { readSavedNickname, useNickname } from '../useNickname';

/** The player's nickname, kept in the browser; a friendly random one is offered on the first visit. */
export function NicknameField() {
  const [nickname, setNickname] = useNickname();

  useEffect(() => {
    // Only on first mount (an emptied field stays empty while the player types), and from storage
    // itself: during hydration `nickname` is still the server's ''.
    if (!readSavedNickname()) setNickname(randomNickname());
  }, [setNickname]);

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
