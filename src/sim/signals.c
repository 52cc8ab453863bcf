/* signals.c — SIGINT/SIGTERM: a flag for the scheduler, a byte for the
 * main loop. */
#include "sim/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught;
static int wake_pipe[2] = {-1, -1};
/* ns_signals_exit_at_once: the message written before _exit, or NULL. */
static const char *volatile exit_message;
static volatile gsize exit_message_len;

static void on_signal(int sig) {
  int saved = errno;
  const char *message = exit_message;
  if (message != NULL) {
    /* Loading or building: nothing written yet, nothing to flush. */
    if (write(STDERR_FILENO, message, exit_message_len) < 0) {
    }
    _exit(128 + sig);
  }
  caught = sig;
  if (wake_pipe[1] >= 0) {
    char b = 1;
    /* Non-blocking: a full pipe already says what this byte would. */
    if (write(wake_pipe[1], &b, 1) < 0) {
    }
  }
  errno = saved;
}

void ns_signals_install(NsSched *sched) {
  if (wake_pipe[0] < 0 && pipe(wake_pipe) == 0) {
    for (int i = 0; i < 2; i++) {
      fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
      fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
    }
  }
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  /* Restart interrupted reads and writes: the flag and the wake-up byte
   * say what happened, and a write to a pipe or terminal cut by EINTR
   * would leave stdio's error flag set, so a clean stop would end with
   * "write failed" (exit 2) and a lost line.  poll() still returns early,
   * so the main loop wakes at once. */
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  exit_message = NULL;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  if (sched != NULL)
    sched->interrupted = &caught;
}

void ns_signals_exit_at_once(const char *message) {
  ns_signals_install(NULL);
  exit_message_len = strlen(message);
  exit_message = message;
  /* One that came before this call ends the process now, the same way. */
  if (caught != 0)
    on_signal(caught);
}

int ns_signals_wake_fd(void) { return wake_pipe[0]; }
int ns_signals_caught(void) { return caught; }
