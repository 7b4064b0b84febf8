/** Desktop notifications for alerts, through Electron's Notification where the system has them. */
import type { Notification as ElectronNotification } from 'electron';

/** The part of Electron's Notification class the shell uses. */
export type NotificationClass = Pick<typeof ElectronNotification, 'isSupported'> & {
  new (options: {
    title: string;
    body: string;
  }): Pick<ElectronNotification, 'show'> & { on(event: 'click', listener: () => void): unknown };
};

/** A notify hook for monitoring, or null where the system shows no notifications (alerts still reach the window). */
export function desktopNotifier(
  Notification: NotificationClass,
  log: (message: string) => void,
  /** What a click on the notification does (the shell brings its window forward). */
  onClick: () => void = () => {},
): ((title: string, body: string) => void) | null {
  if (!Notification.isSupported()) {
    log('desktop notifications are not supported here: alerts show in the window (and by email or webhook where set)');
    return null;
  }
  return (title, body) => {
    try {
      const notification = new Notification({ title, body });
      notification.on('click', onClick);
      notification.show();
    } catch (error) {
      log(`a desktop notification could not be shown: ${(error as Error)?.message ?? String(error)}`);
    }
  };
}
