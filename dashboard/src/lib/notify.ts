/**
 * Desktop notifications and a short beep for new conversations. Browsers only allow
 * the permission prompt and the AudioContext after a user gesture, so `enable()` is
 * called from a click.
 */
let audio: AudioContext | null = null;

export function notificationsEnabled(): boolean {
  return "Notification" in window && Notification.permission === "granted";
}

export async function enableNotifications(): Promise<boolean> {
  audio ??= new AudioContext();
  if (!("Notification" in window)) return false;
  if (Notification.permission === "granted") return true;
  return (await Notification.requestPermission()) === "granted";
}

export function beep(): void {
  if (!audio) return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = "sine";
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.001, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.3);
}

export function notify(title: string, body: string, onClick?: () => void): void {
  beep();
  if (!notificationsEnabled() || document.hasFocus()) return;
  const n = new Notification(title, { body, tag: title + body });
  n.onclick = () => {
    window.focus();
    onClick?.();
    n.close();
  };
}
