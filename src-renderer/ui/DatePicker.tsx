import { DatePicker as AntDatePicker } from 'antd';
import dayjsConfig from '@rc-component/picker/generate/dayjs';
import type { Dayjs } from 'dayjs';
import { vietnamNow } from './dates';

/**
 * antd's date picker with Vietnam's clock for "now". The stock one asks the browser, so on a PC whose
 * time zone is not Vietnam's the day it marks as today and its "Hôm nay" button are a day off for part
 * of every day (from 17:00 UTC on one set to UTC). Every screen takes its DatePicker from here.
 */
export const DatePicker = AntDatePicker.generatePicker<Dayjs>({ ...dayjsConfig, getNow: vietnamNow });
