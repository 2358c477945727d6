'use client';

import { useEffect, useState } from 'react';
import { MAX_NICKNAME_CHARS } from '@/lib/protocol';
import { randomNickname } from '@/lib/nickname';
import { TextField } from '../ui/TextField';
import { readSavedNickname, useNickname } from '../useNickname';

/** The field's id: forms that need a nickname move focus here when it is missing. */
export const NICKNAME_FIELD_ID = 'nickname';

/** Moves focus to the nickname field (it shows why by itself). */
export function focusNicknameField() {
  document.getElementById(NICKNAME_FIELD_ID)?.focus();
}

/** The player's nickname, kept in the browser; a friendly random one is offered on the first visit. */
export function NicknameField() {
  const [nickname, setNickname] = useNickname();
  // Only an edit can empty it (a first visit gets a random one), so the error waits for one.
  const [edited, setEdited] = useState(false);

  useEffect(() => {
    // Only on first mount (an emptied field stays empty while the player types), and from storage
    // itself: during hydration `nickname` is still the server's ''.
    if (!readSavedNickname()) setNickname(randomNickname());
  }, [setNickname]);

  return (
    <TextField
      id={NICKNAME_FIELD_ID}
      label="Your nickname"
      name="nickname"
      value={nickname}
      maxLength={MAX_NICKNAME_CHARS}
      autoComplete="nickname"
      onChange={(e) => {
        setEdited(true);
        setNickname(e.target.value);
      }}
      error={edited && !nickname.trim() ? 'Choose a nickname to create or join a lobby.' : null}
      hint="Others see this name. It is kept in this browser."
      required
    />
  );
}
