/*
 * An AHCI SATA host bus adapter, reading one disk by DMA (claim C7 with a
 * memory-mapped bus master; the PIIX IDE controller of drivers/ata.c is
 * its port-mapped counterpart).
 *
 * The HBA is a PCI function of class 01h/06h/01h. All its registers are
 * memory, in the window BAR5 points at (the ABAR, "AHCI Base Address"):
 * 0x00-0x2B the generic host control registers, then 0x80 bytes for each
 * port from 0x100. Every access below is a `mov` (io/mmio.h); the driver
 * has no `in` or `out` at all.
 *
 * A command is a program in memory that the HBA fetches as a bus master:
 * the command list (32 headers) and the received-FIS area of a port, a
 * command table with the command FIS and the PRD table
 * (kernel/lib/ahci_cmd.h builds them). The CPU's part is writing those
 * into RAM and then one bit into PxCI, the port's doorbell; the HBA reads
 * the header and the table, sends the FIS to the disk, writes the sectors
 * where the PRD entries say, writes the disk's answer into the
 * received-FIS area, clears the bit and sets PxIS.DHRS. With MSI on, that
 * status change is a memory write to the Local APIC (kernel/irq.h,
 * irq_msi_alloc): the driver halts until it comes.
 *
 * Reference: Serial ATA AHCI 1.3.1 specification (Intel, 2011): 2.1
 * (PCI header, ABAR), 3.1 (generic host control: 3.1.1 CAP, 3.1.2 GHC,
 * 3.1.3 IS, 3.1.4 PI, 3.1.5 VS), 3.3 (port registers: 3.3.1 PxCLB, 3.3.3
 * PxFB, 3.3.5 PxIS, 3.3.6 PxIE, 3.3.7 PxCMD, 3.3.8 PxTFD, 3.3.9 PxSIG,
 * 3.3.10 PxSSTS, 3.3.12 PxSERR, 3.3.14 PxCI), 4.2 (system memory
 * structures), 5.5 (issuing a command), 10.1.2 (system software
 * initialization), 10.3 (starting and stopping a port). QEMU's model is
 * hw/ide/ahci.c and hw/ide/ich.c (6 ports, 4 KiB ABAR, MSI at 0x80).
 */
#include "drivers/ahci.h"

#include "drivers/pci.h"
#include "io/mmio.h"
#include "io/trace.h"
#include "kernel/irq.h"
#include "kernel/lib/ahci_cmd.h"
#include "kernel/lib/ata_identify.h"
#include "kernel/lib/fmt.h"
#include "kernel/paging.h"
#include "kernel/tick.h"
#include "kernel/timeout.h"
#include "kernel/tsc.h"
#include "kernel/x86.h"

#include <stdarg.h>

/* --- constants --------------------------------------------------------- */

/* Generic host control (3.1). */
#define AHCI_CAP 0x00           /* HBA capabilities (3.1.1) */
#define AHCI_GHC 0x04           /* global HBA control (3.1.2) */
#define AHCI_IS 0x08            /* interrupt status, a bit a port (3.1.3) */
#define AHCI_PI 0x0C            /* ports implemented (3.1.4) */
#define AHCI_VS 0x10            /* version (3.1.5) */
#define AHCI_HOST_LAST 0x28     /* BOHC (3.1.11), the last one */

#define CAP_NP_MASK 0x1Fu       /* bits 4:0: ports - 1 */
#define CAP_NCS_SHIFT 8         /* bits 12:8: command slots - 1 */
#define CAP_NCS_MASK 0x1Fu
#define GHC_IE (1u << 1)        /* interrupt enable */
#define GHC_AE (1u << 31)       /* AHCI enable: registers, not IDE emulation */
#define VS_MAJOR_SHIFT 16
#define VS_MINOR_MASK 0xFFFFu

/* Port registers (3.3): port p at 0x100 + 0x80 * p. */
#define AHCI_PORT_BASE 0x100
#define AHCI_PORT_SIZE 0x80
#define AHCI_MAX_PORTS 32
#define PX_CLB 0x00             /* command list base (3.3.1) */
#define PX_CLBU 0x04            /* its upper 32 bits (3.3.2) */
#define PX_FB 0x08              /* received-FIS base (3.3.3) */
#define PX_FBU 0x0C             /* its upper 32 bits (3.3.4) */
#define PX_IS 0x10              /* interrupt status, write 1 to clear (3.3.5) */
#define PX_IE 0x14              /* interrupt enable (3.3.6) */
#define PX_CMD 0x18             /* command and status (3.3.7) */
#define PX_TFD 0x20             /* task file data (3.3.8) */
#define PX_SIG 0x24             /* signature (3.3.9) */
#define PX_SSTS 0x28            /* SATA status, SCR0 (3.3.10) */
#define PX_SERR 0x30            /* SATA error, SCR1, write 1 to clear (3.3.12) */
#define PX_CI 0x38              /* command issue: the doorbell (3.3.14) */
#define PX_LAST 0x44            /* PxDEVSLP (3.3.17), the last one */

/* PxIS/PxIE bits (3.3.5, 3.3.6). */
#define PXIS_DHRS (1u << 0)     /* a D2H Register FIS came: command done */
#define PXIS_PSS (1u << 1)      /* a PIO Setup FIS came */
#define PXIS_OFS (1u << 24)     /* overflow: more data than the PRDs hold */
#define PXIS_INFS (1u << 26)    /* interface non-fatal error */
#define PXIS_IFS (1u << 27)     /* interface fatal error */
#define PXIS_HBDS (1u << 28)    /* host bus data error */
#define PXIS_HBFS (1u << 29)    /* host bus fatal error */
#define PXIS_TFES (1u << 30)    /* task file error: the disk said ERR */
#define PXIS_ERRORS (PXIS_OFS | PXIS_INFS | PXIS_IFS | PXIS_HBDS | PXIS_HBFS \
                     | PXIS_TFES)
#define PXIS_ALL 0xFFFFFFFFu

/* PxCMD bits (3.3.7). */
#define PXCMD_ST (1u << 0)      /* start: process the command list */
#define PXCMD_FRE (1u << 4)     /* FIS receive enable */
#define PXCMD_FR (1u << 14)     /* FIS receive running */
#define PXCMD_CR (1u << 15)     /* command list running */

/* PxTFD (3.3.8): the disk's Status register in bits 7:0, Error in 15:8. */
#define PXTFD_STS_ERR (1u << 0)
#define PXTFD_STS_DRQ (1u << 3)
#define PXTFD_STS_BSY (1u << 7)
#define PXTFD_ERR_SHIFT 8
#define PXTFD_BYTE_MASK 0xFFu

/* PxSSTS (3.3.10): DET bits 3:0, IPM bits 11:8. */
#define PXSSTS_DET_MASK 0xFu
#define PXSSTS_DET_PRESENT 0x3u /* a device, and Phy communication */
#define PXSSTS_IPM_SHIFT 8
#define PXSSTS_IPM_MASK 0xFu
#define PXSSTS_IPM_ACTIVE 0x1u

/* PxSIG (3.3.9): the signature of the disk's first D2H Register FIS. */
#define SIG_ATA 0x00000101u     /* an ATA disk */
#define SIG_ATAPI 0xEB140101u   /* an ATAPI device (a CD-ROM drive) */
#define SIG_NONE 0xFFFFFFFFu    /* no FIS yet */

/* ATA commands (ATA/ATAPI-7 vol. 1, 6.16 and 6.26). */
#define ATA_CMD_IDENTIFY_DEVICE 0xEC
#define ATA_CMD_READ_DMA_EXT 0x25

/* How long each wait may take. PxCMD.CR and FR: "at least 500
 * milliseconds" (10.3.2). A command: a disk spinning up takes seconds. */
#define STOP_TIMEOUT_MS 500
#define READY_TIMEOUT_MS 1000   /* BSY and DRQ clear before ST (10.3.1) */
#define COMMAND_TIMEOUT_MS 5000

#define SLOT 0u                 /* the one command slot used */
#define PRDT_ENTRIES 8u         /* 8 x 4 MiB: AHCI_MAX_READ_SECTORS */
#define PROBLEM_SIZE 160
#define DESCRIPTION_SIZE 200

/* --- state ------------------------------------------------------------- */

/* The structures the HBA reads and writes by DMA, in the kernel's
 * identity-mapped memory, aligned as the registers that point at them
 * require. */
static struct ahci_cmd_header cmd_list[AHCI_SLOTS]
    __attribute__((aligned(AHCI_CMD_LIST_ALIGN)));
static uint8_t rx_fis[AHCI_RX_FIS_BYTES]
    __attribute__((aligned(AHCI_RX_FIS_ALIGN)));
static struct cmd_table {
    uint8_t cfis[AHCI_CMD_TABLE_PRDT];      /* CFIS, ACMD, reserved */
    struct ahci_prd prdt[PRDT_ENTRIES];
} cmd_table __attribute__((aligned(AHCI_CMD_TABLE_ALIGN)));
static uint16_t identify_words[ATA_IDENTIFY_WORDS];

static const struct pci_function *hba;
static uint32_t abar, abar_size;
static uint32_t abar_moves;        /* pci_bar_moves() when abar was read */
static uint32_t cap, version, ports_implemented;
static bool disk;
static unsigned port;
static uint32_t port_ssts, port_sig;
static struct ata_identity identity;
static uint64_t sectors;
static uint32_t movs;                   /* register accesses, counted */
static uint32_t sectors_read;           /* since boot, by reads that worked */
static char problem[PROBLEM_SIZE] = "not initialised";
static char description[DESCRIPTION_SIZE] = "not initialised";

/* Completion by MSI when the Local APIC takes messages; else by polling
 * PxCI and PxIS. */
static bool msi_on;
static struct irq_msi msi;
static volatile uint32_t msi_count, irq_status;
static uint64_t halted_cycles;          /* halted, waiting for the MSI */
/* The last command timed out and may still be running: the port is left
 * alone until the HBA clears its PxCI bit. */
static bool timed_out;

/* --- register access ---------------------------------------------------- */

static uint32_t hba_read(uint32_t reg)
{
    movs++;
    return mmio_read32(abar + reg);
}

static void hba_write(uint32_t reg, uint32_t v)
{
    movs++;
    mmio_write32(abar + reg, v);
}

static uint32_t port_reg(unsigned p, uint32_t reg)
{
    return AHCI_PORT_BASE + AHCI_PORT_SIZE * p + reg;
}

static uint32_t px_read(uint32_t reg)
{
    return hba_read(port_reg(port, reg));
}

static void px_write(uint32_t reg, uint32_t v)
{
    hba_write(port_reg(port, reg), v);
}

/* The memory the HBA reads must hold what the CPU wrote before the
 * doorbell rings, and what the HBA wrote must be read after it finished:
 * x86 keeps stores in order and DMA snoops the caches, so only the
 * compiler has to be kept from moving plain loads and stores across the
 * device access. */
static void compiler_barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static enum ahci_status fail(enum ahci_status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum ahci_status fail(enum ahci_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return st;
}

/* Register names for the I/O trace (io/trace.h), as the specification
 * names them; a port's registers are PxNAME whichever port. */
static const char *ahci_reg_name(uint32_t where, bool write, uint32_t value)
{
    static const char *const host[] = {
        "CAP", "GHC", "IS", "PI", "VS", "CCC_CTL", "CCC_PORTS", "EM_LOC",
        "EM_CTL", "CAP2", "BOHC",
    };
    static const char *const px[] = {
        "PxCLB", "PxCLBU", "PxFB", "PxFBU", "PxIS", "PxIE", "PxCMD", 0,
        "PxTFD", "PxSIG", "PxSSTS", "PxSCTL", "PxSERR", "PxSACT", "PxCI",
        "PxSNTF", "PxFBS", "PxDEVSLP",
    };
    uint32_t off = where - abar;
    (void)write;
    (void)value;
    if (off <= AHCI_HOST_LAST)
        return host[off / sizeof(uint32_t)];
    if (off < AHCI_PORT_BASE)
        return 0;
    off = (off - AHCI_PORT_BASE) % AHCI_PORT_SIZE;
    return off <= PX_LAST ? px[off / sizeof(uint32_t)] : 0;
}

static struct io_trace_device trace_ahci = {
    "ahci", IO_MMIO, 0, 0, ahci_reg_name,
};

/* The physical address of a kernel buffer the HBA is to reach: the
 * kernel's memory is identity-mapped, which paging_entry confirms for
 * every page of it. False when some page is not. */
static bool physical(const void *p, uint32_t len, uint32_t *phys)
{
    uint32_t va = (uint32_t)(uintptr_t)p;
    for (uint32_t page = va & PTE_FRAME_MASK; page - (va & PTE_FRAME_MASK)
         < len + (va & ~PTE_FRAME_MASK); page += PAGE_SIZE) {
        if ((paging_entry(page) & PTE_FRAME_MASK) != page
            || !(paging_entry(page) & PTE_PRESENT))
            return false;
    }
    *phys = va;
    return true;
}

/* --- the port: stop, start --------------------------------------------- */

/* Waits until (PxCMD & bits) == 0, bounded. */
static bool wait_cmd_clear(uint32_t bits, uint32_t ms)
{
    struct timeout t = timeout_start_us(ms * US_PER_MS);
    while (px_read(PX_CMD) & bits) {
        if (timeout_expired(&t))
            return false;
    }
    return true;
}

/* Puts the port in the idle state (10.3.2): ST off and wait for the
 * command list engine (CR) to stop, then FRE off and wait for FR. Only
 * an idle port may have PxCLB and PxFB changed. */
static enum ahci_status stop_port(void)
{
    uint32_t cmd = px_read(PX_CMD);
    if (cmd & PXCMD_ST)
        px_write(PX_CMD, cmd & ~PXCMD_ST);
    if (!wait_cmd_clear(PXCMD_CR, STOP_TIMEOUT_MS))
        return fail(AHCI_ERR_FAILED, "port %u: PxCMD.CR still set %u ms "
                    "after PxCMD.ST was cleared", port, STOP_TIMEOUT_MS);
    cmd = px_read(PX_CMD);
    if (cmd & PXCMD_FRE)
        px_write(PX_CMD, cmd & ~PXCMD_FRE);
    if (!wait_cmd_clear(PXCMD_FR, STOP_TIMEOUT_MS))
        return fail(AHCI_ERR_FAILED, "port %u: PxCMD.FR still set %u ms "
                    "after PxCMD.FRE was cleared", port, STOP_TIMEOUT_MS);
    return AHCI_OK;
}

/* Brings the port up (10.1.2 steps 5-7, 10.3.1): the command list and
 * the received-FIS area, FIS receive on, errors and interrupts cleared,
 * then ST once the disk is neither busy nor holding data. */
static enum ahci_status start_port(void)
{
    uint32_t clb, fb;
    enum ahci_status st = stop_port();
    if (st != AHCI_OK)
        return st;
    for (unsigned i = 0; i < AHCI_SLOTS; i++)
        cmd_list[i] = (struct ahci_cmd_header){ 0 };
    for (unsigned i = 0; i < AHCI_RX_FIS_BYTES; i++)
        rx_fis[i] = 0;
    if (!physical(cmd_list, sizeof cmd_list, &clb)
        || !physical(rx_fis, sizeof rx_fis, &fb))
        return fail(AHCI_ERR_FAILED, "the command list or FIS area is not "
                    "identity-mapped");
    compiler_barrier();
    px_write(PX_CLB, clb);
    px_write(PX_CLBU, 0);
    px_write(PX_FB, fb);
    px_write(PX_FBU, 0);
    px_write(PX_CMD, px_read(PX_CMD) | PXCMD_FRE);
    px_write(PX_SERR, PXIS_ALL);
    px_write(PX_IS, PXIS_ALL);
    px_write(PX_IE, msi_on ? PXIS_DHRS | PXIS_PSS | PXIS_ERRORS : 0);

    struct timeout t = timeout_start_us(READY_TIMEOUT_MS * US_PER_MS);
    uint32_t tfd;
    while ((tfd = px_read(PX_TFD)) & (PXTFD_STS_BSY | PXTFD_STS_DRQ)) {
        if (timeout_expired(&t))
            return fail(AHCI_ERR_FAILED, "port %u: the disk still busy "
                        "(PxTFD 0x%04x) %u ms after FIS receive started",
                        port, tfd, READY_TIMEOUT_MS);
    }
    px_write(PX_CMD, px_read(PX_CMD) | PXCMD_ST);
    return AHCI_OK;
}

/* --- commands ----------------------------------------------------------- */

/* Halts until the next interrupt (see sti_hlt). The CPU is free
 * meanwhile, so these cycles are not counted as the driver's. */
static void halt_until_interrupt(void)
{
    uint64_t t0 = tsc_hz() ? rdtsc() : 0;
    sti_hlt();
    if (tsc_hz())
        halted_cycles += rdtsc() - t0;
}

/* Waits for slot SLOT's bit in PxCI to clear: halted until the MSI comes
 * when it is on (with a running tick to wake the CPU for the time
 * bound), else polling PxCI and PxIS. */
static enum ahci_status wait_command(const char *what)
{
    struct timeout t = timeout_start_us(COMMAND_TIMEOUT_MS * US_PER_MS);
    uint32_t is = 0;
    bool halt = msi_on && tick_running() && (read_eflags() & EFLAGS_IF);

    for (;;) {
        if (halt) {
            cli();
            if (!(irq_status & (PXIS_DHRS | PXIS_ERRORS))
                && !timeout_expired(&t))
                halt_until_interrupt();
            sti();
        }
        is = px_read(PX_IS) | irq_status;
        if (is & PXIS_ERRORS)
            break;
        if (!(px_read(PX_CI) & (1u << SLOT)))
            return AHCI_OK;
        if (timeout_expired(&t)) {
            timed_out = true;
            return fail(AHCI_ERR_FAILED, "port %u: %s not done after %u ms "
                        "(PxCI 0x%08x, PxIS 0x%08x, PxTFD 0x%04x)", port, what,
                        COMMAND_TIMEOUT_MS, px_read(PX_CI), is,
                        px_read(PX_TFD));
        }
    }
    uint32_t tfd = px_read(PX_TFD);
    return fail(AHCI_ERR_FAILED, "port %u: %s failed: PxIS 0x%08x%s, disk "
                "status 0x%02x error 0x%02x (PxTFD)", port, what, is,
                is & PXIS_TFES ? " (task file error)" : "",
                tfd & PXTFD_BYTE_MASK,
                tfd >> PXTFD_ERR_SHIFT & PXTFD_BYTE_MASK);
}

/* Issues command with lba and count through slot SLOT, the data going to
 * the len bytes at buf, and waits for it (5.5.1): the header and the table
 * written first, PxIS cleared, then the one doorbell write to PxCI. */
static enum ahci_status issue(uint8_t command, uint64_t lba, uint32_t count,
                              void *buf, uint32_t len, const char *what,
                              unsigned *prds)
{
    uint32_t table_phys, buf_phys;
    timed_out = px_read(PX_CI) & (1u << SLOT);
    if (timed_out)
        return fail(AHCI_ERR_FAILED, "port %u: %s not issued: the command "
                    "that timed out still runs (PxCI 0x%08x)", port, what,
                    px_read(PX_CI));
    if (!physical(&cmd_table, sizeof cmd_table, &table_phys)
        || !physical(buf, len, &buf_phys))
        return fail(AHCI_ERR_FAILED, "%s: the buffer at %p is not "
                    "identity-mapped memory", what, buf);
    enum ahci_prdt_status ps = ahci_prdt_build(buf_phys, len, cmd_table.prdt,
                                               PRDT_ENTRIES, prds);
    if (ps != AHCI_PRDT_OK)
        return fail(AHCI_ERR_FAILED, "%s: %s", what,
                    ahci_prdt_status_text(ps));
    ahci_fis_h2d(cmd_table.cfis + AHCI_CMD_TABLE_CFIS, command, lba, count);
    cmd_list[SLOT] = (struct ahci_cmd_header){
        ahci_header_dw0(FIS_H2D_BYTES, *prds), 0, table_phys, 0, { 0 },
    };
    irq_status = 0;
    px_write(PX_IS, PXIS_ALL);
    compiler_barrier();
    px_write(PX_CI, 1u << SLOT);
    enum ahci_status st = wait_command(what);
    compiler_barrier();
    if (st == AHCI_OK && cmd_list[SLOT].prdbc != len)
        st = fail(AHCI_ERR_FAILED, "%s moved %u bytes, not %u (PRDBC)", what,
                  cmd_list[SLOT].prdbc, len);
    return st;
}

/* After an error the port stops processing its command list (PxCI keeps
 * the failed command's bit): a stop and a start (10.4.2's software
 * recovery, short of a COMRESET) clears it and lets the next command
 * through. Not after a timeout: the command may still be moving data,
 * and stopping the port under it would leave the HBA writing through a
 * command list it was told to forget (QEMU 7.2 then dies with a
 * segmentation fault). It is left to finish; until it has, issue()
 * refuses the next command. The failure's message is kept. */
static void recover(void)
{
    char saved[PROBLEM_SIZE];
    if (timed_out)
        return;
    fmt_snprintf(saved, sizeof saved, "%s", problem);
    start_port();
    fmt_snprintf(problem, sizeof problem, "%s", saved);
}

/* The MSI handler: the HBA's interrupt status, kept and cleared, so the
 * line the message stands for is quiet again (3.1.3: IS, then PxIS). */
static void ahci_msi(void *ctx)
{
    (void)ctx;
    msi_count++;
    irq_status |= px_read(PX_IS);
    px_write(PX_IS, irq_status);
    hba_write(AHCI_IS, hba_read(AHCI_IS));
}

/* --- init ---------------------------------------------------------------- */

static bool describe_failure(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static bool describe_failure(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(description, sizeof description, fmt, ap);
    va_end(ap);
    fmt_snprintf(problem, sizeof problem, "%s", description);
    return false;
}

/* Finds the HBA and maps its registers (10.1.2 step 1: AE). */
static bool find_hba(void)
{
    struct pci_bar bar;
    hba = pci_find_class(AHCI_PCI_CLASS, AHCI_PCI_SUBCLASS);
    if (!hba || hba->prog_if != AHCI_PCI_PROG_IF) {
        hba = 0;
        return describe_failure("no AHCI controller (PCI class %02x:%02x, "
                                "prog-if %02x)", AHCI_PCI_CLASS,
                                AHCI_PCI_SUBCLASS, AHCI_PCI_PROG_IF);
    }
    pci_bar_probe(hba, AHCI_ABAR_INDEX, &bar);
    if (bar.kind != PCI_BAR_MEM32 || bar.address == 0 || bar.size == 0)
        return describe_failure("AHCI at %02x:%02x.%x: BAR5 is no 32-bit "
                                "memory window", PCI_BDF_BUS(hba->bdf),
                                PCI_BDF_DEV(hba->bdf), PCI_BDF_FN(hba->bdf));
    abar = (uint32_t)bar.address;
    abar_size = (uint32_t)bar.size;
    abar_moves = pci_bar_moves();
    if (!paging_map_mmio(abar, abar_size))
        return describe_failure("AHCI: no page table left to map the ABAR "
                                "at 0x%08x", abar);
    trace_ahci.first = abar;
    trace_ahci.last = abar + abar_size - 1;
    io_trace_add_device(&trace_ahci);
    pci_enable(hba, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    hba_write(AHCI_GHC, hba_read(AHCI_GHC) | GHC_AE);
    cap = hba_read(AHCI_CAP);
    version = hba_read(AHCI_VS);
    ports_implemented = hba_read(AHCI_PI);
    return true;
}

/* The first implemented port whose PxSSTS says a device is there and
 * talking, or false. */
static bool find_port(unsigned from, unsigned *found)
{
    for (unsigned p = from; p < AHCI_MAX_PORTS; p++) {
        if (!(ports_implemented & (1u << p)))
            continue;
        uint32_t ssts = hba_read(port_reg(p, PX_SSTS));
        if ((ssts & PXSSTS_DET_MASK) == PXSSTS_DET_PRESENT
            && (ssts >> PXSSTS_IPM_SHIFT & PXSSTS_IPM_MASK)
                   == PXSSTS_IPM_ACTIVE) {
            *found = p;
            return true;
        }
    }
    return false;
}

/* Claims an MSI vector and aims the HBA's MSI capability at it; the HBA
 * interrupts only with GHC.IE on. Without a Local APIC taking messages,
 * commands are polled. */
static void start_msi(void)
{
    const char *why;
    if (!pci_find_capability(hba, PCI_CAP_ID_MSI)
        || !irq_msi_alloc("ahci", ahci_msi, 0, &msi, &why))
        return;
    msi_on = pci_msi_enable(hba, msi.address, msi.data);
    if (msi_on)
        hba_write(AHCI_GHC, hba_read(AHCI_GHC) | GHC_IE);
}

/* Brings up a port with a device; true with a SATA disk identified. */
static bool bring_up(unsigned p)
{
    unsigned prds;
    port = p;
    port_ssts = px_read(PX_SSTS);
    if (start_port() != AHCI_OK)
        return false;
    port_sig = px_read(PX_SIG);
    if (port_sig != SIG_ATA) {
        fail(AHCI_ERR_NO_DISK, "port %u: %s (PxSIG 0x%08x), not a disk", p,
             port_sig == SIG_ATAPI ? "an ATAPI device" : "no ATA signature",
             port_sig);
        stop_port();
        return false;
    }
    if (issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, identify_words,
              sizeof identify_words, "IDENTIFY DEVICE", &prds) != AHCI_OK) {
        recover();
        return false;
    }
    ata_identify_decode(identify_words, &identity);
    sectors = identity.lba48 ? identity.sectors48 : identity.sectors28;
    return true;
}

bool ahci_init(void)
{
    unsigned p = 0;
    if (!find_hba())
        return false;
    start_msi();
    bool found = false;
    while (!found && find_port(p, &p)) {
        found = bring_up(p);
        p++;
    }
    if (!found)
        return describe_failure("AHCI %u.%u at %02x:%02x.%x: no SATA disk "
                                "on ports 0-%u%s%s", version >> VS_MAJOR_SHIFT,
                                version & VS_MINOR_MASK, PCI_BDF_BUS(hba->bdf),
                                PCI_BDF_DEV(hba->bdf), PCI_BDF_FN(hba->bdf),
                                cap & CAP_NP_MASK, problem[0] ? ": " : "",
                                problem);
    disk = true;
    fmt_snprintf(description, sizeof description, "AHCI port %u: \"%s\", "
                 "%llu sectors of %u bytes; ABAR 0x%08x (mov), %s", port,
                 identity.model, (unsigned long long)sectors,
                 AHCI_SECTOR_SIZE, abar, msi_on ? "MSI" : "PxCI polled");
    return true;
}

/* --- operations -------------------------------------------------------- */

/* The monitor's `bar` can move the ABAR (claim C5): when a window has
 * moved since the ABAR was read, read it again, so that the registers are
 * looked for where the HBA now decodes them. A plain read of BAR5 (PCI
 * 3.0, 6.2.5.1): its size is known since find_hba, and sizing it again
 * would turn the HBA's memory decoding off for a moment, which the live
 * panel, asking after every move, would do under whoever looks. */
static void follow_abar(void)
{
    if (!hba || abar_moves == pci_bar_moves())
        return;
    abar_moves = pci_bar_moves();
    uint32_t value = pci_config_read32(hba->bdf,
                                       pci_bar_offset(AHCI_ABAR_INDEX));
    uint32_t address = value & PCI_BAR_MEM_MASK;
    if ((value & PCI_BAR_SPACE_IO) || address == 0 || address == abar
        || !paging_map_mmio(address, abar_size))
        return;
    abar = address;
    trace_ahci.first = abar;
    trace_ahci.last = abar + abar_size - 1;
}

enum ahci_status ahci_read(uint64_t lba, uint32_t count, void *buf,
                           struct ahci_stats *stats)
{
    uint64_t t0 = tsc_hz() ? rdtsc() : 0;
    uint32_t movs0 = movs, irqs0 = msi_count;
    uint64_t halted0 = halted_cycles;
    unsigned prds = 0;
    enum ahci_status st;

    follow_abar();
    if (!hba) {
        st = fail(AHCI_ERR_NO_HBA, "%s", description);
    } else if (!disk) {
        st = fail(AHCI_ERR_NO_DISK, "%s", description);
    } else {
        enum ahci_range r = ahci_check_range(lba, count, sectors,
                                             AHCI_MAX_READ_SECTORS);
        if (r != AHCI_RANGE_OK) {
            st = fail(AHCI_ERR_RANGE, "%s (LBA %llu, %u sectors; the disk "
                      "has %llu)", ahci_range_text(r),
                      (unsigned long long)lba, count,
                      (unsigned long long)sectors);
        } else {
            st = issue(ATA_CMD_READ_DMA_EXT, lba,
                       count % AHCI_MAX_READ_SECTORS, buf,
                       count * AHCI_SECTOR_SIZE, "READ DMA EXT", &prds);
            if (st == AHCI_OK)
                sectors_read += count;
            else
                recover();
        }
    }
    stats->cycles = tsc_hz() ? rdtsc() - t0 - (halted_cycles - halted0) : 0;
    stats->movs = movs - movs0;
    stats->irqs = msi_count - irqs0;
    stats->prds = prds;
    return st;
}

bool ahci_present(void)
{
    return hba != 0;
}

const char *ahci_description(void)
{
    return description;
}

const char *ahci_problem(void)
{
    return problem;
}

struct ahci_view ahci_view(void)
{
    struct ahci_view v = { 0 };
    follow_abar();
    if (!hba)
        return v;
    v.bdf = hba->bdf;
    v.vendor = hba->vendor;
    v.device = hba->device;
    v.abar = abar;
    v.abar_size = abar_size;
    v.cap = cap;
    v.version_major = (uint16_t)(version >> VS_MAJOR_SHIFT);
    v.version_minor = (uint16_t)(version & VS_MINOR_MASK);
    v.ports_implemented = ports_implemented;
    v.slots = (cap >> CAP_NCS_SHIFT & CAP_NCS_MASK) + 1;
    v.disk = disk;
    v.port = port;
    v.ssts = port_ssts;
    v.sig = port_sig;
    v.sectors = sectors;
    v.model = identity.model;
    v.msi = msi_on;
    v.completion = msi_on ? "MSI" : "polling PxCI";
    return v;
}

struct ahci_totals ahci_totals(void)
{
    return (struct ahci_totals){ sectors_read, msi_count };
}
