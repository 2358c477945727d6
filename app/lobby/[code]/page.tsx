import { LobbyScreen } from '@/components/lobby/LobbyScreen';

export default async function LobbyPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <LobbyScreen code={code} />;
}
